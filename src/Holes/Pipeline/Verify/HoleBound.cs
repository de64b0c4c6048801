using Holes.Rules;
using Microsoft.CodeAnalysis;

namespace Holes.Pipeline.Verify;

/// <summary>
/// The capability types a hole may be handed: the site's own bound (<see cref="Runtime.HoleSite.CapabilityBound"/>)
/// together with every ancestor's, so a nested hole's bound is never wider than its parent's. A value fits when it
/// fits each of them; the bound of a pure hole (<c>[PureHoles]</c>, or a hole inside a <c>Classified&lt;T&gt;</c>
/// transform) admits no capability at all.
/// </summary>
/// <remarks>
/// Bounds hold reflection-style full names (<c>Ns.Outer+Inner</c>, generic definitions as <c>Ns.IRepo`1</c>), the
/// form the generator writes, so a runtime type and a Roslyn symbol are both matched by name against the names of
/// their base types and interfaces, without resolving anything.
/// </remarks>
internal sealed class HoleBound
{
    private readonly IReadOnlyList<IReadOnlyList<string>> _constraints;

    private HoleBound(IReadOnlyList<IReadOnlyList<string>> constraints) => _constraints = constraints;

    /// <summary>No bound: any capability may be handed in.</summary>
    public static HoleBound Unbounded { get; } = new([]);

    /// <summary>The bound of a pure hole: no capability may be handed in.</summary>
    public static HoleBound Pure { get; } = new([[]]);

    public bool IsUnbounded => _constraints.Count == 0;

    public bool IsPure => _constraints.Any(c => c.Count == 0);

    /// <summary>A site's own bound: null is unbounded, empty is <c>[PureHoles]</c>.</summary>
    public static HoleBound Of(IReadOnlyList<string>? site) => site switch
    {
        null => Unbounded,
        { Count: 0 } => Pure,
        _ => new HoleBound([site.Distinct(StringComparer.Ordinal).ToList()]),
    };

    /// <summary>Both bounds at once: never wider than either.</summary>
    public HoleBound Intersect(HoleBound other)
    {
        if (other.IsUnbounded || IsPure)
        {
            return this;
        }

        if (IsUnbounded || other.IsPure)
        {
            return other;
        }

        return new HoleBound([.. _constraints, .. other._constraints.Where(c => !_constraints.Any(mine => mine.SequenceEqual(c)))]);
    }

    /// <summary>Whether a capability whose own and inherited type names are <paramref name="supertypes"/> fits.</summary>
    public bool Fits(IReadOnlySet<string> supertypes)
    {
        foreach (var constraint in _constraints)
        {
            if (!constraint.Any(supertypes.Contains))
            {
                return false;
            }
        }

        return true;
    }

    public bool Fits(Type type) => Fits(RuntimeCapabilities.Supertypes(type));

    public bool Fits(ITypeSymbol type) => Fits(Supertypes(type));

    /// <summary>The allowed types, for messages.</summary>
    public string Describe()
    {
        if (IsUnbounded)
        {
            return "any capability";
        }

        if (IsPure)
        {
            return "no capability at all (the hole is pure: [PureHoles], or it runs inside a Classified<T> transform)";
        }

        return string.Join(", and also ", _constraints.Select(c => (c.Count == 1 ? "" : "one of ") + string.Join(", ", c)));
    }

    /// <summary>The reflection-style names of a type, its base types and its interfaces (generic definitions).</summary>
    public static IReadOnlySet<string> Supertypes(ITypeSymbol type)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var t = type as INamedTypeSymbol; t is not null; t = t.BaseType)
        {
            names.Add(TypeImmutability.FullName(t.OriginalDefinition));
        }

        foreach (var implemented in type.AllInterfaces)
        {
            names.Add(TypeImmutability.FullName(implemented.OriginalDefinition));
        }

        if (type is ITypeParameterSymbol parameter)
        {
            foreach (var constraint in parameter.ConstraintTypes)
            {
                names.UnionWith(Supertypes(constraint));
            }
        }

        return names;
    }
}
