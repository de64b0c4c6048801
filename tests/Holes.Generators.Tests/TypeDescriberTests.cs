using Holes.Scope;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Holes.Generators.Tests;

public class TypeDescriberTests
{
    [Fact]
    public void PositionalRecordWithDocumentedMembers()
    {
        CSharpCompilation compilation = ScopeTestSupport.Compile("""
            namespace App;

            /// <summary>
            /// A person, with <see cref="Born"/> as a year.
            /// </summary>
            internal record Person(string Name, int Born)
            {
                /// <summary>Age in <paramref name="year"/>.</summary>
                public int AgeIn(int year) => year - Born;

                private int Secret => 3;

                /// <summary>Nick names.</summary>
                public List<string> Nicknames { get; init; } = new();

                internal string Title { get; private set; } = "";
            }
            """.Replace("List<string>", "System.Collections.Generic.List<string>", StringComparison.Ordinal));

        IReadOnlyList<string> declarations = TypeDescriber.Describe([ScopeTestSupport.Type(compilation, "App.Person")]);

        Assert.Equal(
            """
            /// A person, with Born as a year.
            internal record Person(string Name, int Born)
            {
                /// Age in year.
                public int AgeIn(int year);
                /// Nick names.
                public List<string> Nicknames { get; init; }
                internal string Title { get; }
            }
            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            Assert.Single(declarations));
    }

    [Theory]
    [InlineData(DocumentationMode.Parse)]
    [InlineData(DocumentationMode.None)]
    public void PositionalParametersKeepTheirParamDocs(DocumentationMode mode)
    {
        // DocumentationMode.None is a project without GenerateDocumentationFile: the "///" lines are plain comments.
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText("""
                namespace App;

                /// <summary>One line item.</summary>
                /// <param name="Sku">Stock keeping unit, e.g. "AB-12".</param>
                /// <param name="Quantity"></param>
                /// <param name="Price">Unit price in <c>EUR</c>.</param>
                internal sealed record Line(string Sku, int Quantity, decimal Price);
                """, new CSharpParseOptions(LanguageVersion.Preview, mode), "/src/Snippet.cs")],
            Basic.Reference.Assemblies.Net100.References.All);

        IReadOnlyList<string> declarations = TypeDescriber.Describe([ScopeTestSupport.Type(compilation, "App.Line")]);

        Assert.Equal(
            """
            /// One line item.
            /// Sku: Stock keeping unit, e.g. "AB-12".
            /// Price: Unit price in EUR.
            internal sealed record Line(string Sku, int Quantity, decimal Price);
            """.ReplaceLineEndings("\n"),
            Assert.Single(declarations));
    }

    [Fact]
    public void ClassStructInterfaceAndEnum()
    {
        CSharpCompilation compilation = ScopeTestSupport.Compile("""
            namespace App;

            public interface IShape { double Area(); }

            public enum Color : byte { Red = 1, Green = 2 }

            public readonly struct Point
            {
                public Point(int x, int y) { X = x; Y = y; }
                public int X { get; }
                public int Y { get; }
                public const int Origin = 0;
            }

            public sealed class Circle : IShape
            {
                public Circle(Point center, double radius) { Center = center; Radius = radius; }
                public Point Center { get; }
                public double Radius;
                public Color Color { get; set; }
                public double Area() => 3.14 * Radius * Radius;
                public event System.EventHandler? Moved;
                protected void Hidden() { }
            }
            """);

        IReadOnlyList<string> declarations = TypeDescriber.Describe([ScopeTestSupport.Type(compilation, "App.Circle")]);

        Assert.Equal(
            [
                """
                public sealed class Circle : IShape
                {
                    public Circle(Point center, double radius);
                    public Point Center { get; }
                    public double Radius;
                    public Color Color { get; set; }
                    public double Area();
                    public event EventHandler? Moved;
                }
                """,
                """
                public interface IShape
                {
                    double Area();
                }
                """,
                """
                public readonly struct Point
                {
                    public Point(int x, int y);
                    public int X { get; }
                    public int Y { get; }
                    public const int Origin = 0;
                }
                """,
                """
                public enum Color : byte
                {
                    Red = 1,
                    Green = 2,
                }
                """,
            ],
            declarations.Select(d => d.Replace("\r\n", "\n", StringComparison.Ordinal)).ToArray());
    }

    [Fact]
    public void FrameworkTypesAreNamedNotDeclared_ButTheirArgumentsAreFollowed()
    {
        CSharpCompilation compilation = ScopeTestSupport.Compile("""
            namespace App;
            public record Item(string Name);
            public static class Holder
            {
                public static System.Collections.Generic.Dictionary<string, Item[]> Map = new();
            }
            """);
        ITypeSymbol mapType = ((IFieldSymbol)ScopeTestSupport.Type(compilation, "App.Holder").GetMembers("Map").Single()).Type;

        IReadOnlyList<string> declarations = TypeDescriber.Describe([mapType, compilation.GetSpecialType(SpecialType.System_String)]);

        Assert.Equal(["public record Item(string Name);"], declarations);
    }

    [Fact]
    public void RecursionIsCappedAndDeduplicated()
    {
        var source = new System.Text.StringBuilder("namespace App;\n");
        for (int i = 0; i < 20; i++)
        {
            source.Append("public class Node").Append(i).Append(" { public Node").Append((i + 1) % 20).Append(" Next { get; set; } public Node0 Root { get; set; } }\n");
        }

        CSharpCompilation compilation = ScopeTestSupport.Compile(source.ToString());

        IReadOnlyList<string> declarations = TypeDescriber.Describe([ScopeTestSupport.Type(compilation, "App.Node0")]);

        Assert.Equal(TypeDescriber.DefaultMaxTypes, declarations.Count);
        Assert.StartsWith("public class Node0", declarations[0], StringComparison.Ordinal);
        Assert.StartsWith("public class Node11", declarations[11], StringComparison.Ordinal);
        Assert.Equal(declarations.Count, declarations.Distinct().Count());
    }

    [Fact]
    public void GenericTypesAreDeclaredOnceAsDefinitions()
    {
        CSharpCompilation compilation = ScopeTestSupport.Compile("""
            namespace App;
            public class Box<T> { public T Value { get; set; } = default!; }
            public class Holder { public Box<int> A { get; } = new(); public Box<string> B { get; } = new(); }
            """);

        IReadOnlyList<string> declarations = TypeDescriber.Describe([ScopeTestSupport.Type(compilation, "App.Holder")]);

        Assert.Equal(2, declarations.Count);
        Assert.StartsWith("public class Box<T>", declarations[1], StringComparison.Ordinal);
    }

    [Fact]
    public void PrivateNestedTypesAreNotDeclared()
    {
        CSharpCompilation compilation = ScopeTestSupport.Compile("""
            namespace App;
            public class Outer { private class Hidden { } internal Hidden? Field; }
            """);

        INamedTypeSymbol hidden = ScopeTestSupport.Type(compilation, "App.Outer+Hidden");

        Assert.Empty(TypeDescriber.Describe([hidden]));
    }
}
