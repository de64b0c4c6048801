using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.Generators.Tests;

/// <summary>Symbols and syntax for the scope unit tests, from small compiled snippets.</summary>
internal static class ScopeTestSupport
{
    public static CSharpCompilation Compile(string source) => CSharpCompilation.Create(
        "Snippet",
        [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview), "/src/Snippet.cs")],
        Net100.References.All,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>The static type of the initializer of the local called <paramref name="local"/>.</summary>
    public static ITypeSymbol LocalType(CSharpCompilation compilation, string local)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        SemanticModel model = compilation.GetSemanticModel(tree);
        VariableDeclaratorSyntax declarator = tree.GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>()
            .Single(v => v.Identifier.ValueText == local);
        return ((ILocalSymbol)model.GetDeclaredSymbol(declarator)!).Type;
    }

    public static INamedTypeSymbol Type(CSharpCompilation compilation, string metadataName)
        => compilation.GetTypeByMetadataName(metadataName) ?? throw new InvalidOperationException(metadataName + " not found");

    public static ExpressionSyntax Expression(string text) => SyntaxFactory.ParseExpression(text);
}
