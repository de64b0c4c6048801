using Holes.Scope;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.Generators.Tests;

public class ScopeSiteTests
{
    [Fact]
    public void UsingsInScope_ResolveNamesAndIncludeTheNamespaceChain()
    {
        CSharpCompilation compilation = ScopeTestSupport.Compile("""
            using System.Text;
            using static System.Math;
            using Json = System.Text.StringBuilder;

            namespace Outer
            {
                using System.Linq;

                namespace Inner
                {
                    internal static class C
                    {
                        internal static int M() => Max(1, 2);
                    }
                }
            }
            """);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        InvocationExpressionSyntax call = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().Single();

        IReadOnlyList<string> usings = Usings.InScope(call, compilation.GetSemanticModel(tree));

        Assert.Equal(["System.Text", "static System.Math", "Json = System.Text.StringBuilder", "System.Linq", "Outer", "Outer.Inner"], usings);
    }

    [Fact]
    public void EnclosingSource_IsDedentedAndMarksTheHole()
    {
        CSharpCompilation compilation = ScopeTestSupport.Compile("""
            namespace App
            {
                internal static class C
                {
                    /// <summary>Not part of the member's source.</summary>
                    internal static int M(int x)
                    {
                        return Twice(x) + 1;
                    }

                    internal static int Twice(int x) => x * 2;
                }
            }
            """);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        InvocationExpressionSyntax call = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().Single();

        Assert.Equal(
            "internal static int M(int x)\n{\n    return Twice(x) /* <-- this hole */ + 1;\n}",
            EnclosingSource.Marked(call));
        Assert.Equal("C.M", EnclosingSource.MemberName(call, compilation.GetSemanticModel(tree)));
    }

    [Fact]
    public void EnclosingSource_OfLongTopLevelProgram_IsCutAroundTheHole()
    {
        var source = new System.Text.StringBuilder();
        for (int i = 0; i < 100; i++)
        {
            source.Append(i == 70 ? "System.Console.WriteLine(70);\n" : $"int v{i} = {i};\n");
        }

        SyntaxTree tree = CSharpSyntaxTree.ParseText(source.ToString(), new CSharpParseOptions(LanguageVersion.Preview));
        InvocationExpressionSyntax call = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().Single();

        string[] lines = EnclosingSource.Marked(call).Split('\n');

        Assert.Equal(EnclosingSource.TopLevelMaxLines, lines.Length);
        Assert.Equal("// ...", lines[0]);
        Assert.Equal("// ...", lines[^1]);
        Assert.Contains("System.Console.WriteLine(70) /* <-- this hole */;", lines);
    }
}
