using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.Pipeline.Compile;

/// <summary>
/// Plans the engine's edits to a fill, from its syntax alone (so the fill is bound only once):
/// <list type="bullet">
/// <item>before every top-level <c>return</c>, a capture of the session variables it uses and the top-level
/// variables declared so far, so they are committed once the fill has completed;</item>
/// <item>before every nested <c>agent&lt;T&gt;(...)</c>, the locals in scope, so the nested hole sees them by name.</item>
/// </list>
/// Budget checks are not planned here: <see cref="FillWeaver"/> weaves them into the emitted IL, where every loop and
/// every function (whatever its syntax) has one.
/// </summary>
internal sealed class FillRewriter : CSharpSyntaxWalker
{
    internal const string Frame = "__frame";

    private readonly BlockSyntax _body;
    private readonly int _offset;
    private readonly List<string> _topLevelDeclared = [];
    private readonly List<NestedSiteSyntax> _nestedSites = [];
    private int _staticDepth;

    private readonly IReadOnlyList<(int Index, string Name)> _sessionVariables;

    private FillRewriter(BlockSyntax body, int userStart, IReadOnlyList<(int Index, string Name)> sessionVariables)
    {
        _body = body;
        _offset = userStart;
        _sessionVariables = sessionVariables;
    }

    public SourceEdits Edits { get; } = new();

    /// <summary>Top-level variables the fill declares with an initializer, in order.</summary>
    public IReadOnlyList<string> TopLevelDeclared => _topLevelDeclared;

    public IReadOnlyList<NestedSiteSyntax> NestedSites => _nestedSites;

    /// <summary>Plans edits for the statements of <paramref name="body"/>; positions are relative to <paramref name="userStart"/>.</summary>
    /// <param name="body">The block holding the fill's statements.</param>
    /// <param name="userStart">Where the fill's code starts.</param>
    /// <param name="sessionVariables">Session variables the fill is compiled with; their final values are recorded at each return.</param>
    public static FillRewriter Plan(BlockSyntax body, int userStart, IReadOnlyList<(int Index, string Name)> sessionVariables)
    {
        var rewriter = new FillRewriter(body, userStart, sessionVariables);
        foreach (var statement in body.Statements)
        {
            rewriter.Visit(statement);
            rewriter.CollectTopLevelDeclarations(statement);
        }

        return rewriter;
    }

    private int Local(int position) => position - _offset;

    private void CollectTopLevelDeclarations(StatementSyntax statement)
    {
        switch (statement)
        {
            // A `using` declaration's resource is disposed when the fill ends: there is nothing to keep.
            case LocalDeclarationStatementSyntax { Declaration: var declaration } local when local.UsingKeyword.IsKind(SyntaxKind.None):
                foreach (var variable in declaration.Variables)
                {
                    if (variable.Initializer is not null)
                    {
                        _topLevelDeclared.Add(variable.Identifier.ValueText);
                    }
                }

                break;
            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: DeclarationExpressionSyntax declaration } }:
                CollectDesignations(declaration.Designation, _topLevelDeclared);
                break;
        }
    }

    private static void CollectDesignations(VariableDesignationSyntax designation, List<string> names)
    {
        switch (designation)
        {
            case SingleVariableDesignationSyntax single:
                names.Add(single.Identifier.ValueText);
                break;
            case ParenthesizedVariableDesignationSyntax parenthesized:
                foreach (var inner in parenthesized.Variables)
                {
                    CollectDesignations(inner, names);
                }

                break;
        }
    }

    public override void VisitReturnStatement(ReturnStatementSyntax node)
    {
        var topLevel = IsTopLevel(node);
        if (topLevel && (_topLevelDeclared.Count > 0 || _sessionVariables.Count > 0))
        {
            var captures = string.Concat(_sessionVariables.Select(v => $"{Frame}.Assign({v.Index}, {Escape(v.Name)}); ")) +
                           string.Concat(_topLevelDeclared.Select(n => $"{Frame}.Declare(\"{n}\", {Escape(n)}); "));
            Edits.Insert(Local(node.SpanStart), "{ " + captures);
            base.VisitReturnStatement(node);
            Edits.Insert(Local(node.Span.End), " }");
            return;
        }

        base.VisitReturnStatement(node);
    }

    public override void VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        // A static local function cannot reach the frame, so nested holes in it are left as they are.
        var isStatic = node.Modifiers.Any(SyntaxKind.StaticKeyword);
        _staticDepth += isStatic ? 1 : 0;
        base.VisitLocalFunctionStatement(node);
        _staticDepth -= isStatic ? 1 : 0;
    }

    public override void VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) => VisitLambda(node);

    public override void VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) => VisitLambda(node);

    public override void VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node) => VisitLambda(node);

    private void VisitLambda(AnonymousFunctionExpressionSyntax node)
    {
        var isStatic = node.Modifiers.Any(SyntaxKind.StaticKeyword);
        _staticDepth += isStatic ? 1 : 0;

        // A lambda's body is visited as a whole: its returns belong to the lambda, not to the fill.
        foreach (var child in node.ChildNodes())
        {
            Visit(child);
        }

        _staticDepth -= isStatic ? 1 : 0;
    }

    public override void VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        if (_staticDepth == 0 && node.Expression is GenericNameSyntax { Identifier.ValueText: "agent", TypeArgumentList.Arguments.Count: 1 } name)
        {
            var scope = ScopeAt(node, node.ArgumentList.Arguments.Select(a => a.Expression).ToList());
            var index = _nestedSites.Count;
            _nestedSites.Add(new NestedSiteSyntax(index, Local(name.SpanStart), scope));
            var values = string.Concat(scope.Select(s => ", " + Escape(s)));
            Edits.Insert(Local(node.SpanStart), $"{Frame}.Nested({index}{values}).");
        }

        base.VisitInvocationExpression(node);
    }

    /// <summary>The locals that are certainly assigned at <paramref name="at"/>, innermost last, found from syntax.</summary>
    private List<string> ScopeAt(SyntaxNode at, List<ExpressionSyntax> explicitArguments)
    {
        var explicitNames = new HashSet<string>(explicitArguments.OfType<IdentifierNameSyntax>().Select(i => i.Identifier.ValueText));
        var found = new List<string>();
        for (var node = at; node != _body && node.Parent is { } parent; node = parent)
        {
            switch (parent)
            {
                case BlockSyntax block:
                    AddPrecedingDeclarations(block.Statements, node, found);
                    break;
                case SwitchSectionSyntax section:
                    AddPrecedingDeclarations(section.Statements, node, found);
                    break;
                case ForEachStatementSyntax forEach when node == forEach.Statement:
                    found.Add(forEach.Identifier.ValueText);
                    break;
                case ForEachVariableStatementSyntax forEachVariable when node == forEachVariable.Statement &&
                                                                        forEachVariable.Variable is DeclarationExpressionSyntax declaration:
                    CollectDesignations(declaration.Designation, found);
                    break;
                case ForStatementSyntax forStatement when node != forStatement.Declaration && forStatement.Declaration is { } declaration:
                    found.AddRange(declaration.Variables.Where(v => v.Initializer is not null).Select(v => v.Identifier.ValueText));
                    break;
                case UsingStatementSyntax usingStatement when node == usingStatement.Statement && usingStatement.Declaration is { } declaration:
                    found.AddRange(declaration.Variables.Select(v => v.Identifier.ValueText));
                    break;
                case CatchClauseSyntax catchClause when node == catchClause.Block && catchClause.Declaration is { Identifier.ValueText.Length: > 0 } declaration:
                    found.Add(declaration.Identifier.ValueText);
                    break;
                case SimpleLambdaExpressionSyntax lambda when node == lambda.Body:
                    found.Add(lambda.Parameter.Identifier.ValueText);
                    break;
                case ParenthesizedLambdaExpressionSyntax lambda when node == lambda.Body:
                    found.AddRange(lambda.ParameterList.Parameters.Select(p => p.Identifier.ValueText));
                    break;
                case LocalFunctionStatementSyntax function when node == function.Body || node == function.ExpressionBody:
                    found.AddRange(function.ParameterList.Parameters.Select(p => p.Identifier.ValueText));
                    break;
            }
        }

        var result = new List<string>();
        for (var i = found.Count - 1; i >= 0; i--)
        {
            var name = found[i];
            if (name != "_" && !explicitNames.Contains(name) && !result.Contains(name))
            {
                result.Add(name);
            }
        }

        return result;
    }

    private static void AddPrecedingDeclarations(SyntaxList<StatementSyntax> statements, SyntaxNode current, List<string> found)
    {
        var names = new List<string>();
        foreach (var statement in statements)
        {
            if (statement == current)
            {
                break;
            }

            if (statement is LocalDeclarationStatementSyntax { Declaration: var declaration } local && !IsModelScope(local))
            {
                names.AddRange(declaration.Variables.Where(v => v.Initializer is not null).Select(v => v.Identifier.ValueText));
            }
            else if (statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: DeclarationExpressionSyntax d } })
            {
                CollectDesignations(d.Designation, names);
            }
        }

        // Innermost last after the final reversal: add in reverse source order.
        names.Reverse();
        found.AddRange(names);
    }

    /// <summary><c>using var fast = model("fast");</c>: the scope picks the nested holes' model; it is not a value for them.</summary>
    private static bool IsModelScope(LocalDeclarationStatementSyntax local) =>
        !local.UsingKeyword.IsKind(SyntaxKind.None) &&
        local.Declaration.Variables.All(v => v.Initializer?.Value is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "model" } });

    private bool IsTopLevel(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            if (current == _body)
            {
                return true;
            }

            if (current is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                return false;
            }
        }

        return false;
    }

    private static string Escape(string identifier) =>
        SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None
            ? "@" + identifier
            : identifier;
}

/// <summary>A nested <c>agent&lt;T&gt;(...)</c> call inside a fill, as found in its syntax.</summary>
/// <param name="Index">The call's index among the fill's nested holes.</param>
/// <param name="NamePosition">Where the <c>agent</c> identifier starts, relative to the original fill code.</param>
/// <param name="ScopeLocals">Locals in scope that are handed to the nested hole, outermost first.</param>
internal sealed record NestedSiteSyntax(int Index, int NamePosition, IReadOnlyList<string> ScopeLocals);
