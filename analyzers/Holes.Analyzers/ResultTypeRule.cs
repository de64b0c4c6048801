using System;
using Microsoft.CodeAnalysis;

namespace Holes.Analyzers;

/// <summary>
/// HOLE010: a result type no fill can produce. A fill is compiled as an assembly of its own (<c>Holes.Fill</c>), which
/// the host grants its internals, and returns its value boxed in a <c>Task</c>. So the type must be nameable from outside
/// its declaring type and boxable. A type parameter is fine: the runtime names the type the call was made with.
/// </summary>
internal static class ResultTypeRule
{
    private const string FillAssembly = "Holes.Fill";
    private const int MaxDepth = 8;

    /// <summary>Why no fill can produce <paramref name="type"/>, or <see langword="null"/> when one can.</summary>
    public static string? Reason(ITypeSymbol? type, Compilation compilation) => Reason(type, compilation, 0);

    private static string? Reason(ITypeSymbol? type, Compilation compilation, int depth)
    {
        if (type is null || depth > MaxDepth)
        {
            return null;
        }

        switch (type)
        {
            case IErrorTypeSymbol or ITypeParameterSymbol or IDynamicTypeSymbol:
                return null;
            case { SpecialType: SpecialType.System_Void }:
                return "'void' is no value, and a hole produces one; ask for a 'bool' (whether it was done) or a 'string' (what was done) instead";
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return $"'{Display.Type(type)}' is a pointer, which cannot be boxed into the hole's Task and which fill code may not use; ask for a number, an array or an object instead";
            case { IsRefLikeType: true }:
                return $"'{Display.Type(type)}' is a ref struct, which cannot be boxed into the hole's Task; ask for an array, a string or a class instead";
            case IArrayTypeSymbol array:
                return Reason(array.ElementType, compilation, depth + 1);
            case INamedTypeSymbol named:
                for (INamedTypeSymbol? t = named; t is not null; t = t.ContainingType)
                {
                    if (Inaccessible(t.OriginalDefinition, compilation) is { } reason)
                    {
                        return reason;
                    }
                }

                foreach (ITypeSymbol argument in named.TypeArguments)
                {
                    if (Reason(argument, compilation, depth + 1) is { } reason)
                    {
                        return reason;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static string? Inaccessible(INamedTypeSymbol type, Compilation compilation)
    {
        if (type.IsAnonymousType)
        {
            return null;
        }

        string name = Display.Type(type);
        if (type.IsFileLocal)
        {
            return $"'{name}' is file-local, so fill code, compiled outside this file, cannot name it; declare it without 'file' (internal is enough)";
        }

        switch (type.DeclaredAccessibility)
        {
            case Accessibility.Private:
            case Accessibility.Protected:
            case Accessibility.ProtectedAndInternal:
                string accessibility = type.DeclaredAccessibility switch
                {
                    Accessibility.Private => "private",
                    Accessibility.Protected => "protected",
                    _ => "private protected",
                };
                string outer = type.ContainingType is { } containing ? Display.Type(containing) : name;
                return $"'{name}' is {accessibility}, so fill code, compiled outside '{outer}', cannot name or produce it; make it internal";
            case Accessibility.Internal:
            case Accessibility.ProtectedOrInternal:
                return InternalsUnreachable(type, compilation);
            default:
                return null;
        }
    }

    /// <summary>
    /// The host's internals reach fills through <c>[InternalsVisibleTo("Holes.Fill")]</c>, which the generator adds
    /// unless the assembly is strong-named (fills are not signed, so it cannot grant them); another assembly's internals
    /// reach fills only if that assembly grants them itself.
    /// </summary>
    private static string? InternalsUnreachable(INamedTypeSymbol type, Compilation compilation)
    {
        IAssemblySymbol assembly = type.ContainingAssembly;
        if (GrantsFills(assembly))
        {
            return null;
        }

        string name = Display.Type(type);
        if (SymbolEqualityComparer.Default.Equals(assembly, compilation.Assembly))
        {
            CompilationOptions options = compilation.Options;
            bool strongNamed = options.CryptoKeyFile is not null || options.CryptoKeyContainer is not null
                || !options.CryptoPublicKey.IsDefaultOrEmpty;
            return strongNamed
                ? $"'{name}' is internal to this strong-named assembly, which cannot grant its internals to fills (they are not signed); make it public"
                : null;
        }

        return $"'{name}' is internal to '{assembly.Name}', which does not grant fills ('{FillAssembly}') access to its internals; use a public type";
    }

    private static bool GrantsFills(IAssemblySymbol assembly)
    {
        foreach (AttributeData attribute in assembly.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == "System.Runtime.CompilerServices.InternalsVisibleToAttribute"
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is string friend)
            {
                int comma = friend.IndexOf(',');
                string friendName = (comma >= 0 ? friend.Substring(0, comma) : friend).Trim();
                if (string.Equals(friendName, FillAssembly, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
