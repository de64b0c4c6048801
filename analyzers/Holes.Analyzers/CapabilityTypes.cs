using System.Collections.Generic;
using Holes.Rules;
using Microsoft.CodeAnalysis;

namespace Holes.Analyzers;

/// <summary>What a value's static type says about authority: the capabilities it carries and the egresses they open.</summary>
internal static class CapabilityTypes
{
    private const int MaxDepth = 8;

    /// <summary>
    /// The capability types a value of <paramref name="type"/> carries: the type itself when it is a capability, else
    /// those among its element types and type arguments (an <c>IMailbox[]</c>, a <c>List&lt;IMailbox&gt;</c>, a
    /// <c>Func&lt;IMailbox&gt;</c> or a tuple hands over the mailboxes as surely as a bare <c>IMailbox</c>; a delegate
    /// carries only what it returns).
    /// </summary>
    public static List<ITypeSymbol> Carried(ITypeSymbol? type)
    {
        var found = new List<ITypeSymbol>();
        Collect(type, found, 0);
        return found;
    }

    /// <summary>The first capability type <paramref name="type"/> carries, or <see langword="null"/>.</summary>
    public static ITypeSymbol? FirstCarried(ITypeSymbol? type)
    {
        List<ITypeSymbol> carried = Carried(type);
        return carried.Count > 0 ? carried[0] : null;
    }

    /// <summary>
    /// An egress of the capability <paramref name="type"/> that is not a trusted sink (a member, or the type itself when
    /// it is marked <c>[Egress]</c> as a whole), or <see langword="null"/> when everything it can send out is trusted.
    /// </summary>
    public static ISymbol? UntrustedEgress(ITypeSymbol type)
    {
        var types = new List<ITypeSymbol>();
        if (type is ITypeParameterSymbol parameter)
        {
            types.AddRange(parameter.ConstraintTypes);
        }
        else
        {
            for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
            {
                types.Add(t);
            }
        }

        var interfaces = new List<ITypeSymbol>();
        foreach (ITypeSymbol t in types)
        {
            interfaces.AddRange(t.AllInterfaces);
        }

        types.AddRange(interfaces);
        foreach (ITypeSymbol t in types)
        {
            foreach (ISymbol member in t.GetMembers())
            {
                if (!IsCallable(member))
                {
                    continue;
                }

                // An interface member is judged by what the capability's class runs for it.
                ISymbol judged = t.TypeKind == TypeKind.Interface && type.TypeKind != TypeKind.Interface
                    && type.FindImplementationForInterfaceMember(member) is { } implementation
                    ? implementation
                    : member;
                if (CapabilityFacts.IsEgress(judged) && !CapabilityFacts.IsTrustedSink(judged))
                {
                    return judged;
                }
            }
        }

        foreach (ITypeSymbol t in types)
        {
            if (CapabilityFacts.HasAttribute(t, CapabilityFacts.EgressAttribute)
                && !CapabilityFacts.HasAttribute(t, CapabilityFacts.TrustedSinkAttribute))
            {
                return t;
            }
        }

        return null;
    }

    private static bool IsCallable(ISymbol member) => !member.IsStatic && !member.IsImplicitlyDeclared
        && member.DeclaredAccessibility == Accessibility.Public
        && member is IMethodSymbol { MethodKind: MethodKind.Ordinary } or IPropertySymbol;

    private static void Collect(ITypeSymbol? type, List<ITypeSymbol> found, int depth)
    {
        if (type is null || depth > MaxDepth)
        {
            return;
        }

        if (CapabilityFacts.IsCapability(type))
        {
            found.Add(type);
            return;
        }

        switch (type)
        {
            case IArrayTypeSymbol array:
                Collect(array.ElementType, found, depth + 1);
                break;
            case INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { } invoke }:
                // A delegate hands out what it returns; an Action<IMailbox> takes a mailbox, it holds none.
                Collect(invoke.ReturnType, found, depth + 1);
                break;
            case INamedTypeSymbol named:
                foreach (ITypeSymbol argument in named.TypeArguments)
                {
                    Collect(argument, found, depth + 1);
                }

                break;
        }
    }
}
