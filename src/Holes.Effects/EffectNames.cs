using Microsoft.CodeAnalysis;

namespace Holes.Effects;

/// <summary>How effect paths name symbols: the program's own by type and member (<c>Shell.Run</c>), others qualified (<c>System.IO.File.Delete</c>).</summary>
internal static class EffectNames
{
    private static readonly SymbolDisplayFormat s_local = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    private static readonly SymbolDisplayFormat s_qualified = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    public static string Local(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor } ctor => "new " + ctor.ContainingType.ToDisplayString(s_local),
        IMethodSymbol { MethodKind: MethodKind.StaticConstructor } cctor => "static " + cctor.ContainingType.ToDisplayString(s_local),
        _ => symbol.ToDisplayString(s_local),
    };

    public static string Qualified(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor } ctor => "new " + ctor.ContainingType.ToDisplayString(s_qualified),
        _ => symbol.ToDisplayString(s_qualified),
    };

    /// <summary>Whether code outside the assembly (a fill, granted the host's internals) can name it.</summary>
    public static bool IsVisible(ISymbol symbol)
    {
        for (var s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            if (s.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal) ||
                s is INamedTypeSymbol { IsFileLocal: true } || CompilerGenerated.IsGeneratedName(s.MetadataName))
            {
                return false;
            }
        }

        return true;
    }
}
