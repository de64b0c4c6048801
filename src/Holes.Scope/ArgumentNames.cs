using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.Scope;

/// <summary>
/// Names the values handed to a hole after the expressions that produced them, so the task text
/// ("keep the primes in xs") and the fill's code talk about the same identifiers.
/// </summary>
internal static class ArgumentNames
{
    /// <summary>Derives one distinct, valid C# identifier per argument expression, in argument order.</summary>
    public static IReadOnlyList<string> FromArguments(IReadOnlyList<ExpressionSyntax> arguments)
    {
        var baseNames = new string[arguments.Count];
        for (int i = 0; i < arguments.Count; i++)
        {
            baseNames[i] = FromExpression(arguments[i], i);
        }

        return Deduplicate(baseNames);
    }

    /// <summary>
    /// The name one expression suggests, before de-duplication: the rightmost identifier of a name,
    /// member access or invocation; <c>value{index}</c> for anything without one (literals, operators, lambdas).
    /// </summary>
    public static string FromExpression(ExpressionSyntax expression, int index)
    {
        string? name = Identifier(expression);
        return name is null ? Fallback(index) : Escape(name);
    }

    /// <summary>The name used for a value whose expression has no identifier to borrow.</summary>
    public static string Fallback(int index) => "value" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Prefixes reserved keywords with <c>@</c> so the name is usable as an identifier.</summary>
    public static string Escape(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private static string? Identifier(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case SimpleNameSyntax simple:
                    // ValueText drops a verbatim '@', which Escape puts back only where it is needed.
                    return NonEmpty(simple.Identifier.ValueText);
                case MemberAccessExpressionSyntax memberAccess:
                    return NonEmpty(memberAccess.Name.Identifier.ValueText);
                case MemberBindingExpressionSyntax memberBinding:
                    return NonEmpty(memberBinding.Name.Identifier.ValueText);
                case ConditionalAccessExpressionSyntax conditional:
                    expression = conditional.WhenNotNull;
                    continue;
                case InvocationExpressionSyntax invocation:
                    expression = invocation.Expression;
                    continue;
                case ParenthesizedExpressionSyntax parenthesized:
                    expression = parenthesized.Expression;
                    continue;
                case CastExpressionSyntax cast:
                    expression = cast.Expression;
                    continue;
                case AwaitExpressionSyntax awaitExpression:
                    expression = awaitExpression.Expression;
                    continue;
                case PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                    expression = postfix.Operand;
                    continue;
                case RefExpressionSyntax refExpression:
                    expression = refExpression.Expression;
                    continue;
                default:
                    return null;
            }
        }
    }

    private static string? NonEmpty(string text) => text.Length == 0 ? null : text;

    /// <summary>
    /// Every distinct base name is reserved up front, so a suffixed duplicate never takes a name that a
    /// later argument owns outright (<c>a.Name, b.Name, Name2</c> gives <c>Name, Name3, Name2</c>).
    /// </summary>
    private static IReadOnlyList<string> Deduplicate(string[] baseNames)
    {
        var reserved = new HashSet<string>(baseNames, System.StringComparer.Ordinal);
        var used = new HashSet<string>(System.StringComparer.Ordinal);
        var result = new string[baseNames.Length];
        for (int i = 0; i < baseNames.Length; i++)
        {
            string name = baseNames[i];
            if (!used.Add(name))
            {
                for (int suffix = 2; ; suffix++)
                {
                    string candidate = name + suffix.ToString(CultureInfo.InvariantCulture);
                    if (!reserved.Contains(candidate) && used.Add(candidate))
                    {
                        name = candidate;
                        break;
                    }
                }
            }

            result[i] = name;
        }

        return result;
    }
}
