using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Holes.Scope;

/// <summary>
/// Spells types the way code outside the declaring assembly can write them: generated interceptors and fills
/// (compiled as a separate assembly that the host grants <c>InternalsVisibleTo</c>) both need names that bind
/// from there, and prompts need names a model reads easily.
/// </summary>
internal static class TypeNames
{
    /// <summary>What <see cref="FullyQualified"/> answers for a type that cannot be named from another assembly.</summary>
    public const string FullyQualifiedObject = "global::System.Object";

    /// <summary>What <see cref="Short"/> answers for a type that cannot be named from another assembly.</summary>
    public const string ShortObject = "object";

    // Keywords for special types keep generated code readable; global:: keeps it immune to user types
    // that shadow a namespace (a class named System, say).
    private static readonly SymbolDisplayFormat s_fullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat s_short = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes
            | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
            | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat s_qualified = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes
            | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
            | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// The type with <c>global::</c> qualification, nullable annotations, tuple syntax and generic arguments;
    /// <see cref="FullyQualifiedObject"/> when some part of it cannot be named from another assembly.
    /// </summary>
    public static string FullyQualified(ITypeSymbol? type)
        => type is not null && IsNameable(type) ? type.ToDisplayString(s_fullyQualified) : FullyQualifiedObject;

    /// <summary>
    /// Like <see cref="FullyQualified"/>, but a type built from type parameters of the enclosing method or type
    /// (<c>List&lt;T&gt;</c>, <c>T[]</c>, <c>T</c>) keeps their names (<c>global::System.Collections.Generic.List&lt;T&gt;</c>),
    /// so the engine can substitute their run-time types; <see langword="null"/> when it involves none, or when some
    /// other part of it cannot be named.
    /// </summary>
    /// <param name="type">The type to spell.</param>
    /// <param name="typeParameters">Receives the names of the type parameters it mentions, in order of first mention.</param>
    public static string? FullyQualifiedOpen(ITypeSymbol? type, ICollection<string> typeParameters)
    {
        if (type is null || !ContainsTypeParameters(type) || !IsNameable(type, allowTypeParameters: true))
        {
            return null;
        }

        CollectTypeParameters(type, typeParameters);
        return type.ToDisplayString(s_fullyQualified);
    }

    /// <summary>Whether the type is, or is built from, a type parameter.</summary>
    public static bool ContainsTypeParameters(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameters(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameters),
        _ => false,
    };

    private static void CollectTypeParameters(ITypeSymbol type, ICollection<string> names)
    {
        switch (type)
        {
            case ITypeParameterSymbol parameter:
                if (!names.Contains(parameter.Name))
                {
                    names.Add(parameter.Name);
                }

                break;
            case IArrayTypeSymbol array:
                CollectTypeParameters(array.ElementType, names);
                break;
            case INamedTypeSymbol named:
                foreach (ITypeSymbol argument in named.TypeArguments)
                {
                    CollectTypeParameters(argument, names);
                }

                break;
        }
    }

    /// <summary>The type as a reader writes it with the right usings (<c>List&lt;int&gt;</c>, <c>Order.Line?</c>).</summary>
    public static string Short(ITypeSymbol? type)
        => type is not null && IsNameable(type) ? type.ToDisplayString(s_short) : ShortObject;

    /// <summary>Namespace-qualified without <c>global::</c>, the form a <c>using</c> directive shows.</summary>
    public static string Qualified(ISymbol symbol) => symbol.ToDisplayString(s_qualified);

    /// <summary>
    /// Whether code in another assembly with <c>InternalsVisibleTo</c> access can spell the type. A partial
    /// answer is worse than none: <c>List&lt;object&gt;</c> is not the type of a <c>List&lt;anonymous&gt;</c>,
    /// so a type that is nameable only in part counts as not nameable.
    /// </summary>
    public static bool IsNameable(ITypeSymbol type) => IsNameable(type, allowTypeParameters: false);

    private static bool IsNameable(ITypeSymbol type, bool allowTypeParameters)
    {
        switch (type)
        {
            case ITypeParameterSymbol:
                return allowTypeParameters;
            case IArrayTypeSymbol array:
                return IsNameable(array.ElementType, allowTypeParameters);
            case IDynamicTypeSymbol:
                return true;
            case INamedTypeSymbol named:
                if (!IsNameableDefinition(named))
                {
                    return false;
                }

                foreach (ITypeSymbol argument in named.TypeArguments)
                {
                    if (!IsNameable(argument, allowTypeParameters))
                    {
                        return false;
                    }
                }

                return true;
            default:
                // Type parameters belong to a method or type the generated code is not inside; pointers and
                // function pointers cannot travel as object; error types have no name at all.
                return false;
        }
    }

    /// <summary>
    /// Whether the type itself (ignoring its type arguments) can be spelled from another assembly: not anonymous,
    /// not file-local, not an error, and neither it nor any containing type private or protected.
    /// </summary>
    public static bool IsNameableDefinition(INamedTypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Error || type.IsAnonymousType || type.IsFileLocal)
        {
            return false;
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (!IsVisibleOutsideAssembly(current.DeclaredAccessibility))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsVisibleOutsideAssembly(Accessibility accessibility)
        => accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;
}
