using Microsoft.CodeAnalysis;

namespace Holes.Pipeline.Verify;

/// <summary>
/// The members a generic instantiation calls without naming them: a type argument's implementations of the static
/// abstract (or static virtual) members its type parameter's constraints declare. <c>Make&lt;EvilFactory&gt;()</c>
/// with <c>where T : IFactory&lt;T&gt;</c> calls <c>EvilFactory.Make</c> through <c>T.Make</c>, so that implementation is
/// judged like a direct call to it (a host static member: HOLE031 unless it is effect-free).
/// </summary>
internal static class TypeArgumentMembers
{
    /// <summary><paramref name="method"/> itself (null when unbound), then what it reaches through its type arguments.</summary>
    public static IEnumerable<ISymbol?> WithCalled(IMethodSymbol? method)
    {
        yield return method;
        if (method is null)
        {
            yield break;
        }

        foreach (var member in Of(method))
        {
            yield return member;
        }
    }

    /// <summary>The implementations reached through the type arguments of <paramref name="method"/> and of its containing types.</summary>
    public static IEnumerable<ISymbol> Of(IMethodSymbol method)
    {
        foreach (var member in Of(method.TypeParameters, method.TypeArguments))
        {
            yield return member;
        }

        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            foreach (var member in Of(type.TypeParameters, type.TypeArguments))
            {
                yield return member;
            }
        }
    }

    private static IEnumerable<ISymbol> Of(IReadOnlyList<ITypeParameterSymbol> parameters, IReadOnlyList<ITypeSymbol> arguments)
    {
        for (var i = 0; i < parameters.Count && i < arguments.Count; i++)
        {
            if (arguments[i] is not INamedTypeSymbol argument || SymbolEqualityComparer.Default.Equals(argument, parameters[i]) ||
                parameters[i].ConstraintTypes.IsEmpty)
            {
                continue;
            }

            var constraints = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var constraint in parameters[i].ConstraintTypes.OfType<INamedTypeSymbol>())
            {
                constraints.Add(constraint.OriginalDefinition);
                foreach (var inherited in constraint.AllInterfaces)
                {
                    constraints.Add(inherited.OriginalDefinition);
                }
            }

            foreach (var implemented in argument.AllInterfaces)
            {
                if (!constraints.Contains(implemented.OriginalDefinition))
                {
                    continue;
                }

                foreach (var member in implemented.GetMembers())
                {
                    if (member.IsStatic && (member.IsAbstract || member.IsVirtual) &&
                        argument.FindImplementationForInterfaceMember(member) is { } implementation)
                    {
                        yield return implementation;
                    }
                }
            }
        }
    }
}
