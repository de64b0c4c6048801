using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Holes.Analyzers;

/// <summary>How diagnostics name types, members and expressions: the way the developer wrote them, short.</summary>
internal static class Display
{
    private const int MaxExpressionLength = 80;

    private static readonly SymbolDisplayFormat s_type = SymbolDisplayFormat.CSharpShortErrorMessageFormat
        .RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>A type as C# spells it, qualified by its containing types but not its namespace (<c>Program.Secret</c>, <c>List&lt;int&gt;</c>).</summary>
    public static string Type(ITypeSymbol type) => type.ToDisplayString(s_type);

    /// <summary>A member or type as <c>Type.Member</c>; lambdas and top-level statements by what they are.</summary>
    public static string Symbol(ISymbol symbol)
    {
        switch (symbol)
        {
            case ITypeSymbol type:
                return Type(type);
            case IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambda:
                return lambda.ContainingSymbol is { } outer ? "the lambda in '" + Symbol(outer) + "'" : "a lambda";
            case IMethodSymbol { MethodKind: MethodKind.LocalFunction } local:
                return local.Name;
            case IMethodSymbol { Name: WellKnownMemberNames.TopLevelStatementsEntryPointMethodName }:
                return "the top-level statements";
            case IMethodSymbol { AssociatedSymbol: { } associated }:
                return Symbol(associated);
            case IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor:
                return Type(constructor.ContainingType) + " constructor";
        }

        return symbol.ContainingType is { } containing ? Type(containing) + "." + symbol.Name : symbol.Name;
    }

    /// <summary>An argument expression on one line, shortened if long.</summary>
    public static string Expression(SyntaxNode expression)
    {
        var text = new StringBuilder();
        bool space = false;
        foreach (char c in expression.ToString())
        {
            if (char.IsWhiteSpace(c))
            {
                space = text.Length > 0;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(c);
        }

        return text.Length <= MaxExpressionLength ? text.ToString() : text.ToString(0, MaxExpressionLength - 1) + "…";
    }

    /// <summary>A bound as the developer wrote it: <c>[HoleBound(typeof(IMailbox), typeof(ITickets))]</c>.</summary>
    public static string Bound(IEnumerable<ITypeSymbol> types)
    {
        var text = new StringBuilder("[HoleBound(");
        bool first = true;
        foreach (ITypeSymbol type in types)
        {
            if (!first)
            {
                text.Append(", ");
            }

            text.Append("typeof(").Append(Type(type)).Append(')');
            first = false;
        }

        return text.Append(")]").ToString();
    }

    /// <summary>Whether <paramref name="name"/> is spelled like a C# identifier (no escapes needed).</summary>
    public static bool IsIdentifier(string name) => SyntaxFacts.IsValidIdentifier(name);
}
