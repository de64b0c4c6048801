using Holes.Scope;
using Microsoft.CodeAnalysis;

namespace Holes.Generators.Tests;

public class TypeNamesTests
{
    private const string Source = """
        using System.Collections.Generic;

        namespace App
        {
            public class Outer
            {
                public class PublicNested { }
                private class PrivateNested { }
                protected class ProtectedNested { }

                public void Locals<TItem>(TItem item)
                {
                    List<int> list = new List<int>();
                    var nullableInt = (int?)1;
                    string? nullableString = null;
                    var tuple = (Count: 1, Name: "x");
                    int[][] jagged = new int[0][];
                    string[,] matrix = new string[0, 0];
                    var anonymous = new { A = 1 };
                    var anonymousList = new List<object>().ConvertAll(o => new { o });
                    var typeParameter = item;
                    var privateNested = new PrivateNested();
                    var privateNestedList = new List<PrivateNested>();
                    var protectedNested = new ProtectedNested();
                    PublicNested publicNested = new PublicNested();
                    Dictionary<string, List<PublicNested?>> dictionary = new();
                    var error = new Missing();
                    var number = 1;
                    var inferred = new List<string>();
                }
            }
        }
        """;

    private static readonly Microsoft.CodeAnalysis.CSharp.CSharpCompilation Compilation = ScopeTestSupport.Compile(Source);

    [Theory]
    [InlineData("list", "global::System.Collections.Generic.List<int>", "List<int>")]
    [InlineData("nullableInt", "int?", "int?")]
    [InlineData("nullableString", "string?", "string?")]
    [InlineData("tuple", "(int Count, string Name)", "(int Count, string Name)")]
    [InlineData("jagged", "int[][]", "int[][]")]
    [InlineData("matrix", "string[,]", "string[,]")]
    [InlineData("publicNested", "global::App.Outer.PublicNested", "Outer.PublicNested")]
    [InlineData("dictionary", "global::System.Collections.Generic.Dictionary<string, global::System.Collections.Generic.List<global::App.Outer.PublicNested?>>", "Dictionary<string, List<Outer.PublicNested?>>")]
    [InlineData("number", "int", "int")]
    [InlineData("inferred", "global::System.Collections.Generic.List<string>?", "List<string>?")]
    public void NameableTypes(string local, string fullyQualified, string shortName)
    {
        ITypeSymbol type = ScopeTestSupport.LocalType(Compilation, local);

        Assert.True(TypeNames.IsNameable(type));
        Assert.Equal(fullyQualified, TypeNames.FullyQualified(type));
        Assert.Equal(shortName, TypeNames.Short(type));
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("anonymousList")]
    [InlineData("typeParameter")]
    [InlineData("privateNested")]
    [InlineData("privateNestedList")]
    [InlineData("protectedNested")]
    [InlineData("error")]
    public void UnnameableTypesBecomeObject(string local)
    {
        ITypeSymbol type = ScopeTestSupport.LocalType(Compilation, local);

        Assert.False(TypeNames.IsNameable(type));
        Assert.Equal("global::System.Object", TypeNames.FullyQualified(type));
        Assert.Equal("object", TypeNames.Short(type));
    }

    [Fact]
    public void NullTypeIsObject()
    {
        Assert.Equal(TypeNames.FullyQualifiedObject, TypeNames.FullyQualified(null));
        Assert.Equal(TypeNames.ShortObject, TypeNames.Short(null));
    }
}
