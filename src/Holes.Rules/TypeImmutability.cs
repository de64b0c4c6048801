using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Holes.Rules;

/// <summary>
/// Whether a value of a type can never change once created, so that sharing it through a static is harmless:
/// primitives, strings, enums, immutable collections, and types whose every field is readonly and immutable.
/// </summary>
/// <remarks>
/// Judged from symbols. Metadata symbols do not show a class's private fields, so a program type is judged by
/// <see cref="IsImmutableProgramType"/>, which the runtime overrides to look at the loaded type itself.
/// </remarks>
internal class TypeImmutability
{
    private static readonly HashSet<string> s_immutableSystemTypes = new(System.StringComparer.Ordinal)
    {
        "System.String", "System.Decimal", "System.DateTime", "System.DateTimeOffset", "System.TimeSpan", "System.Guid",
        "System.DateOnly", "System.TimeOnly", "System.Half", "System.Int128", "System.UInt128", "System.Index", "System.Range",
        "System.Uri", "System.Version", "System.Numerics.BigInteger", "System.Numerics.Complex", "System.StringComparer",
        "System.Text.RegularExpressions.Regex", "System.Text.Rune", "System.DBNull",
    };

    private readonly ConcurrentDictionary<ITypeSymbol, bool> _verdicts = new(SymbolEqualityComparer.Default);

    /// <summary>The judgement from symbols alone (analyzers, and tests of the rules).</summary>
    public static TypeImmutability FromSymbols { get; } = new();

    public bool IsImmutable(ITypeSymbol? type) => type is not null && _verdicts.GetOrAdd(type, t => Judge(t, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default)));

    private bool Judge(ITypeSymbol type, HashSet<ITypeSymbol> visiting)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean or SpecialType.System_Char or SpecialType.System_SByte or SpecialType.System_Byte or
                SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32 or
                SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Single or SpecialType.System_Double or
                SpecialType.System_Decimal or SpecialType.System_String or SpecialType.System_IntPtr or SpecialType.System_UIntPtr or
                SpecialType.System_DateTime:
                return true;
        }

        if (type is not INamedTypeSymbol named || type.TypeKind is TypeKind.Interface or TypeKind.Delegate or TypeKind.Dynamic)
        {
            // Arrays are writable element by element; an interface or a delegate may hide anything.
            return false;
        }

        if (named.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        if (!visiting.Add(named))
        {
            return true;
        }

        var definition = named.OriginalDefinition;
        var fullName = FullName(definition);
        if (definition.SpecialType == SpecialType.System_Nullable_T ||
            (fullName.StartsWith("System.Collections.Immutable.", System.StringComparison.Ordinal) ||
             fullName.StartsWith("System.Collections.Frozen.", System.StringComparison.Ordinal)) && fullName.IndexOf("Builder", System.StringComparison.Ordinal) < 0)
        {
            // Immutable and frozen collections (not their builders) are as immutable as what they hold.
            foreach (var argument in named.TypeArguments)
            {
                if (!Judge(argument, visiting))
                {
                    return false;
                }
            }

            return true;
        }

        if (s_immutableSystemTypes.Contains(fullName))
        {
            return true;
        }

        var assembly = definition.ContainingAssembly?.Name ?? "";
        if (CapabilityRules.IsFrameworkAssembly(assembly) || assembly == "Holes")
        {
            // A framework struct declared readonly with immutable fields (KeyValuePair, DateTime's relatives); any
            // other framework type is not known to be immutable.
            return named.IsValueType && named.IsReadOnly && FieldsAreImmutable(named, visiting);
        }

        return IsImmutableProgramType(named, visiting);
    }

    /// <summary>
    /// A type of the program (or a library): a struct or sealed class whose visible fields are all readonly and
    /// immutable. Metadata hides private fields of classes, so from symbols only records and readonly structs qualify.
    /// </summary>
    protected virtual bool IsImmutableProgramType(INamedTypeSymbol type, HashSet<ITypeSymbol> visiting)
    {
        if (type.IsValueType)
        {
            return FieldsAreImmutable(type, visiting);
        }

        return type.IsSealed && type.IsRecord && FieldsAreImmutable(type, visiting) && PropertiesAreReadOnly(type);
    }

    protected bool IsImmutable(ITypeSymbol type, HashSet<ITypeSymbol> visiting) => Judge(type, visiting);

    private bool FieldsAreImmutable(INamedTypeSymbol type, HashSet<ITypeSymbol> visiting)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsStatic: false } field && (!field.IsReadOnly && !type.IsReadOnly || !Judge(field.Type, visiting)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool PropertiesAreReadOnly(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IPropertySymbol { IsStatic: false, SetMethod: { IsInitOnly: false } })
            {
                return false;
            }
        }

        return true;
    }

    internal static string FullName(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        var nesting = "";
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            nesting = outer.MetadataName + "+" + nesting;
        }

        return ns + nesting + type.MetadataName;
    }
}
