using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.Analyzers;

/// <summary>
/// Whether a simple name denotes a local or a parameter, judged from syntax alone: a declaration of that name whose
/// scope contains the name. A name declared as a local in an enclosing scope can only bind to that local (or be an
/// error), never to a field or property, so the analyzers need not bind it. Only the common declarations are looked at
/// (locals of a block or switch, <c>for</c>, <c>foreach</c>, <c>using</c> and <c>catch</c> variables, parameters of
/// methods, local functions, lambdas, indexers, <c>value</c> in accessors, top-level locals); for anything else the
/// answer is <see langword="false"/> ("not known"), and the caller binds.
/// </summary>
internal static class LocalScope
{
    public static bool IsLocalOrParameter(IdentifierNameSyntax name)
    {
        string text = name.Identifier.ValueText;
        SyntaxNode child = name;
        for (SyntaxNode? node = name.Parent; node is not null; child = node, node = node.Parent)
        {
            switch (node)
            {
                case BlockSyntax block when DeclaresLocal(block.Statements, text):
                    return true;
                case SwitchStatementSyntax @switch when child is SwitchSectionSyntax:
                    // A local declared in one section is in scope in all of them (not in the governing expression).
                    foreach (SwitchSectionSyntax section in @switch.Sections)
                    {
                        if (DeclaresLocal(section.Statements, text))
                        {
                            return true;
                        }
                    }

                    break;
                case ForStatementSyntax { Declaration: { } declaration } when Declares(declaration, text):
                    return true;
                case UsingStatementSyntax { Declaration: { } declaration } when Declares(declaration, text):
                    return true;
                case ForEachStatementSyntax forEach when child == forEach.Statement && forEach.Identifier.ValueText == text:
                    // Only the loop's body: the collection expression is outside the variable's scope.
                    return true;
                case CatchClauseSyntax { Declaration: { } caught } when caught.Identifier.ValueText == text:
                    return true;
                case SimpleLambdaExpressionSyntax lambda when lambda.Parameter.Identifier.ValueText == text:
                    return true;
                case ParenthesizedLambdaExpressionSyntax lambda when Declares(lambda.ParameterList, text):
                    return true;
                case AnonymousMethodExpressionSyntax { ParameterList: { } parameters } when Declares(parameters, text):
                    return true;
                case LocalFunctionStatementSyntax function when Declares(function.ParameterList, text):
                    return true;
                case BaseMethodDeclarationSyntax method when Declares(method.ParameterList, text):
                    return true;
                case IndexerDeclarationSyntax indexer when Declares(indexer.ParameterList, text):
                    return true;
                case AccessorDeclarationSyntax accessor when text == "value" && accessor.Kind() is SyntaxKind.SetAccessorDeclaration
                    or SyntaxKind.InitAccessorDeclaration or SyntaxKind.AddAccessorDeclaration or SyntaxKind.RemoveAccessorDeclaration:
                    return true;
                case CompilationUnitSyntax unit:
                    return child is GlobalStatementSyntax && DeclaresTopLevelLocal(unit, text);
                case MemberDeclarationSyntax and not (BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or GlobalStatementSyntax):
                    // A type (its primary constructor's parameters are not looked at), a namespace, a field: members
                    // from here on.
                    return false;
            }
        }

        return false;
    }

    private static bool DeclaresLocal(SyntaxList<StatementSyntax> statements, string name)
    {
        foreach (StatementSyntax statement in statements)
        {
            if (statement is LocalDeclarationStatementSyntax local && Declares(local.Declaration, name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool DeclaresTopLevelLocal(CompilationUnitSyntax unit, string name)
    {
        foreach (MemberDeclarationSyntax member in unit.Members)
        {
            if (member is GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax local } && Declares(local.Declaration, name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Declares(VariableDeclarationSyntax declaration, string name)
    {
        foreach (VariableDeclaratorSyntax variable in declaration.Variables)
        {
            if (variable.Identifier.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Declares(BaseParameterListSyntax parameters, string name)
    {
        foreach (ParameterSyntax parameter in parameters.Parameters)
        {
            if (parameter.Identifier.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }
}
