using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Holes.Rules;

/// <summary>
/// What the developer declared with the Holes attributes, read from Roslyn symbols: which types are capabilities,
/// which members are egresses and trusted sinks, which values are classified, and the hole bound in force at a
/// symbol. The analyzers read these from the user's source, the runtime verifier from the program's metadata.
/// </summary>
internal static class CapabilityFacts
{
    public const string CapabilityAttribute = "Holes.CapabilityAttribute";
    public const string EgressAttribute = "Holes.EgressAttribute";
    public const string TrustedSinkAttribute = "Holes.TrustedSinkAttribute";
    public const string HoleBoundAttribute = "Holes.HoleBoundAttribute";
    public const string PureHolesAttribute = "Holes.PureHolesAttribute";
    public const string PureAttribute = "System.Diagnostics.Contracts.PureAttribute";
    public const string ClassifiedType = "Holes.Classified`1";

    /// <summary>A type marked <c>[Capability]</c>, or one deriving from or implementing such a type.</summary>
    public static bool IsCapability(ITypeSymbol? type)
    {
        if (type is ITypeParameterSymbol parameter)
        {
            foreach (var constraint in parameter.ConstraintTypes)
            {
                if (IsCapability(constraint))
                {
                    return true;
                }
            }

            return false;
        }

        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        for (INamedTypeSymbol? t = named; t is not null; t = t.BaseType)
        {
            if (HasAttribute(t, CapabilityAttribute))
            {
                return true;
            }
        }

        foreach (var implemented in named.AllInterfaces)
        {
            if (HasAttribute(implemented, CapabilityAttribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>Holes.Classified&lt;T&gt;</c>, or a type built from it (an array, a list or a task of classified values).</summary>
    public static bool IsClassified(ITypeSymbol? type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return IsClassified(array.ElementType);
            case INamedTypeSymbol named:
                if (IsMetadataName(named.OriginalDefinition, ClassifiedType))
                {
                    return true;
                }

                foreach (var argument in named.TypeArguments)
                {
                    if (IsClassified(argument))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>A member (or the type that declares it, or what it overrides or implements) marked <c>[Egress]</c>.</summary>
    public static bool IsEgress(ISymbol member) => HasOnMemberOrType(member, EgressAttribute) || IsTrustedSink(member);

    /// <summary>A member (or its declaring type, or what it overrides or implements) marked <c>[TrustedSink]</c>.</summary>
    public static bool IsTrustedSink(ISymbol member) => HasOnMemberOrType(member, TrustedSinkAttribute);

    /// <summary>A member the developer vouches for with <c>[System.Diagnostics.Contracts.Pure]</c>.</summary>
    public static bool IsDeclaredPure(ISymbol member) => HasAttribute(member, PureAttribute) ||
        (member.ContainingType is { } type && HasAttribute(type, PureAttribute));

    /// <summary>
    /// The hole bound in force at <paramref name="symbol"/> (a method, local function, lambda or type): the nearest
    /// <c>[HoleBound]</c> or <c>[PureHoles]</c> on it or an enclosing member or type. <see langword="null"/> when unbounded;
    /// an empty array under <c>[PureHoles]</c>.
    /// </summary>
    public static ImmutableArray<ITypeSymbol>? BoundAt(ISymbol? symbol)
    {
        for (var s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            foreach (var attribute in s.GetAttributes())
            {
                if (IsMetadataName(attribute.AttributeClass, PureHolesAttribute))
                {
                    return ImmutableArray<ITypeSymbol>.Empty;
                }

                if (IsMetadataName(attribute.AttributeClass, HoleBoundAttribute))
                {
                    var types = ImmutableArray.CreateBuilder<ITypeSymbol>();
                    foreach (var argument in attribute.ConstructorArguments)
                    {
                        if (argument.Kind == TypedConstantKind.Array)
                        {
                            foreach (var element in argument.Values)
                            {
                                if (element.Value is ITypeSymbol type)
                                {
                                    types.Add(type);
                                }
                            }
                        }
                        else if (argument.Value is ITypeSymbol type)
                        {
                            types.Add(type);
                        }
                    }

                    return types.ToImmutable();
                }
            }

            // An accessor's containing symbol is the type: the property in between may carry the bound too.
            if (s is IMethodSymbol { AssociatedSymbol: IPropertySymbol property })
            {
                return BoundAt(property);
            }
        }

        return null;
    }

    /// <summary>
    /// The symbol whose <c>[HoleBound]</c> or <c>[PureHoles]</c> <see cref="BoundAt"/> reads at <paramref name="symbol"/>,
    /// so a diagnostic can name it; <see langword="null"/> when unbounded.
    /// </summary>
    public static ISymbol? BoundBearer(ISymbol? symbol)
    {
        for (var s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            if (HasAttribute(s, PureHolesAttribute) || HasAttribute(s, HoleBoundAttribute))
            {
                return s;
            }

            if (s is IMethodSymbol { AssociatedSymbol: IPropertySymbol property })
            {
                return BoundBearer(property);
            }
        }

        return null;
    }

    /// <summary>Whether a capability of type <paramref name="type"/> fits a bound: it is, derives from or implements one of its types.</summary>
    public static bool FitsBound(ITypeSymbol type, IEnumerable<ITypeSymbol> bound)
    {
        foreach (var allowed in bound)
        {
            for (var t = type; t is not null; t = t.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, allowed.OriginalDefinition))
                {
                    return true;
                }
            }

            foreach (var implemented in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, allowed.OriginalDefinition))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static bool HasAttribute(ISymbol symbol, string metadataName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsMetadataName(attribute.AttributeClass, metadataName))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsMetadataName(INamedTypeSymbol? type, string metadataName)
    {
        if (type is null)
        {
            return false;
        }

        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        return ns.Length + type.MetadataName.Length == metadataName.Length &&
            metadataName.StartsWith(ns, System.StringComparison.Ordinal) &&
            metadataName.EndsWith(type.MetadataName, System.StringComparison.Ordinal);
    }

    private static bool HasOnMemberOrType(ISymbol member, string attribute)
    {
        for (var m = member; m is not null; m = Overridden(m))
        {
            if (HasAttribute(m, attribute) || (m.ContainingType is { } type && HasAttribute(type, attribute)))
            {
                return true;
            }
        }

        if (member.ContainingType is { } containing)
        {
            foreach (var implemented in containing.AllInterfaces)
            {
                foreach (var candidate in implemented.GetMembers(member.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(containing.FindImplementationForInterfaceMember(candidate), member) &&
                        (HasAttribute(candidate, attribute) || HasAttribute(implemented, attribute)))
                    {
                        return true;
                    }
                }
            }

            for (var t = containing.BaseType; t is not null; t = t.BaseType)
            {
                if (HasAttribute(t, attribute))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static ISymbol? Overridden(ISymbol member) => member switch
    {
        IMethodSymbol method => method.OverriddenMethod,
        IPropertySymbol property => property.OverriddenProperty,
        _ => null,
    };
}
