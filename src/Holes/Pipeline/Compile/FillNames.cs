using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.Pipeline.Compile;

/// <summary>
/// The names a fill mentions, and the names it declares in its own scope (not inside lambdas or local functions,
/// which may shadow). Decides which handed-in values and session variables the fill is compiled with.
/// </summary>
internal sealed class FillNames : CSharpSyntaxWalker
{
    private int _nestedFunctions;

    private FillNames()
    {
    }

    public HashSet<string> Mentioned { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Declared { get; } = new(StringComparer.Ordinal);

    public static FillNames Of(BlockSyntax body)
    {
        var names = new FillNames();
        foreach (var statement in body.Statements)
        {
            names.Visit(statement);
        }

        return names;
    }

    public override void VisitIdentifierName(IdentifierNameSyntax node) => Mentioned.Add(node.Identifier.ValueText);

    public override void VisitVariableDeclarator(VariableDeclaratorSyntax node)
    {
        DeclareHere(node.Identifier.ValueText);
        base.VisitVariableDeclarator(node);
    }

    public override void VisitSingleVariableDesignation(SingleVariableDesignationSyntax node) => DeclareHere(node.Identifier.ValueText);

    public override void VisitForEachStatement(ForEachStatementSyntax node)
    {
        DeclareHere(node.Identifier.ValueText);
        base.VisitForEachStatement(node);
    }

    public override void VisitCatchDeclaration(CatchDeclarationSyntax node)
    {
        DeclareHere(node.Identifier.ValueText);
        base.VisitCatchDeclaration(node);
    }

    public override void VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        DeclareHere(node.Identifier.ValueText);
        _nestedFunctions++;
        base.VisitLocalFunctionStatement(node);
        _nestedFunctions--;
    }

    public override void VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) => VisitNested(node);

    public override void VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) => VisitNested(node);

    public override void VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node) => VisitNested(node);

    private void VisitNested(AnonymousFunctionExpressionSyntax node)
    {
        _nestedFunctions++;
        foreach (var child in node.ChildNodes())
        {
            Visit(child);
        }

        _nestedFunctions--;
    }

    private void DeclareHere(string name)
    {
        if (_nestedFunctions == 0 && name.Length > 0 && SyntaxFacts.IsValidIdentifier(name))
        {
            Declared.Add(name);
        }
    }
}
