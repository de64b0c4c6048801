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

    // A range variable may not share its name with any enclosing local (CS1931), even inside a lambda, so a query's
    // range variables always count as the fill's own names: a session variable of the same name is not imported.
    public override void VisitFromClause(FromClauseSyntax node)
    {
        DeclareRangeVariable(node.Identifier.ValueText);
        base.VisitFromClause(node);
    }

    public override void VisitLetClause(LetClauseSyntax node)
    {
        DeclareRangeVariable(node.Identifier.ValueText);
        base.VisitLetClause(node);
    }

    public override void VisitJoinClause(JoinClauseSyntax node)
    {
        DeclareRangeVariable(node.Identifier.ValueText);
        base.VisitJoinClause(node);
    }

    public override void VisitJoinIntoClause(JoinIntoClauseSyntax node)
    {
        DeclareRangeVariable(node.Identifier.ValueText);
        base.VisitJoinIntoClause(node);
    }

    public override void VisitQueryContinuation(QueryContinuationSyntax node)
    {
        DeclareRangeVariable(node.Identifier.ValueText);
        base.VisitQueryContinuation(node);
    }

    private void DeclareRangeVariable(string name)
    {
        if (name.Length > 0 && SyntaxFacts.IsValidIdentifier(name))
        {
            Declared.Add(name);
        }
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
