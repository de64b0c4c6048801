using System.Collections.Concurrent;
using System.Reflection;
using Holes.Runtime;

namespace Holes.Pipeline.Verify;

/// <summary>
/// The capability facts for run-time values: whether a value's type is authority (<c>[Capability]</c> on it, a base
/// or an interface, or an authority entry in the generator's table of its assembly) and the names it fits a bound by.
/// The engine uses them on the values handed to a hole and on what a fill commits.
/// </summary>
internal static class RuntimeCapabilities
{
    private static readonly ConcurrentDictionary<Type, bool> s_authority = new();
    private static readonly ConcurrentDictionary<Type, IReadOnlySet<string>> s_supertypes = new();
    private static readonly ConcurrentDictionary<Assembly, HashSet<string>> s_authorityIds = new();

    /// <summary>Whether a value of this run-time type is authority.</summary>
    public static bool IsAuthority(Type type) => s_authority.GetOrAdd(type, Judge);

    /// <summary>The first authority type a run-time type is built from (itself, an element type, a type argument), or null.</summary>
    public static Type? AuthorityIn(Type? type)
    {
        if (type is null)
        {
            return null;
        }

        if (type.HasElementType)
        {
            return AuthorityIn(type.GetElementType());
        }

        if (IsAuthority(type))
        {
            return type;
        }

        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                if (AuthorityIn(argument) is { } inner)
                {
                    return inner;
                }
            }
        }

        return null;
    }

    /// <summary>The reflection-style names of a type, its base types and its interfaces (generic definitions).</summary>
    public static IReadOnlySet<string> Supertypes(Type type) => s_supertypes.GetOrAdd(type, static t =>
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var current = t; current is not null; current = current.BaseType)
        {
            names.Add(Name(current));
        }

        foreach (var implemented in t.GetInterfaces())
        {
            names.Add(Name(implemented));
        }

        return names;
    });

    /// <summary>The reflection-style full name bounds use: <c>Ns.Outer+Inner</c>, generic definitions as <c>Ns.IRepo`1</c>.</summary>
    public static string Name(Type type)
    {
        var definition = type.IsGenericType && !type.IsGenericTypeDefinition ? type.GetGenericTypeDefinition() : type;
        return definition.FullName ?? definition.Name;
    }

    private static bool Judge(Type type)
    {
        if (type.IsPrimitive || type == typeof(string) || type.IsEnum || type.IsArray || IsFramework(type.Assembly))
        {
            return false;
        }

        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            if (current.IsDefined(typeof(CapabilityAttribute), inherit: false) || HasAuthorityEntry(current))
            {
                return true;
            }
        }

        foreach (var implemented in type.GetInterfaces())
        {
            if (implemented.IsDefined(typeof(CapabilityAttribute), inherit: false) || HasAuthorityEntry(implemented))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasAuthorityEntry(Type type)
    {
        if (IsFramework(type.Assembly) || type.Assembly == typeof(RuntimeCapabilities).Assembly)
        {
            return false;
        }

        var ids = s_authorityIds.GetOrAdd(type.Assembly, static assembly =>
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var entry in assembly.GetCustomAttributes<HoleEffectAttribute>())
                {
                    if (entry.Symbol.StartsWith("T:", StringComparison.Ordinal))
                    {
                        found.Add(entry.Symbol);
                    }
                }
            }
            catch (Exception ex) when (ex is TypeLoadException or FileNotFoundException or BadImageFormatException)
            {
                // An assembly whose attributes cannot be read has no table.
            }

            return found;
        });

        if (ids.Count == 0)
        {
            return false;
        }

        // Documentation ids name nested types with '.' where reflection uses '+'.
        var definition = type.IsGenericType && !type.IsGenericTypeDefinition ? type.GetGenericTypeDefinition() : type;
        return ids.Contains("T:" + (definition.FullName ?? definition.Name).Replace('+', '.'));
    }

    private static bool IsFramework(Assembly assembly) => Rules.CapabilityRules.IsFrameworkAssembly(assembly.GetName().Name ?? "");
}
