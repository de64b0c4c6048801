using System.Collections.Concurrent;
using System.Reflection;
using Holes.Rules;
using Microsoft.CodeAnalysis;

namespace Holes.Pipeline.Verify;

/// <summary>
/// Judges the program's own types by the loaded type rather than its metadata symbol: fills import only public
/// metadata, which hides a class's private fields, and a private mutable field is exactly what would make a
/// <c>static readonly</c> instance shared mutable state.
/// </summary>
internal sealed class RuntimeImmutability : TypeImmutability
{
    private static readonly ConcurrentDictionary<Type, bool> s_types = new();

    private RuntimeImmutability()
    {
    }

    public static RuntimeImmutability Instance { get; } = new();

    protected override bool IsImmutableProgramType(INamedTypeSymbol type, HashSet<ITypeSymbol> visiting)
    {
        if (Resolve(type) is not { } loaded)
        {
            return false;
        }

        // Type arguments are judged as symbols (a List<T> field is judged from the loaded definition anyway).
        foreach (var argument in type.TypeArguments)
        {
            if (!IsImmutable(argument, visiting))
            {
                return false;
            }
        }

        return IsImmutableType(loaded, []);
    }

    private static bool IsImmutableType(Type type, HashSet<Type> visiting)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) ||
            type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(DateOnly) || type == typeof(TimeOnly))
        {
            return true;
        }

        if (type.IsGenericParameter)
        {
            // A type argument is checked separately; the open field type itself holds no state.
            return true;
        }

        if (type.IsArray || type.IsInterface || type.IsPointer || typeof(Delegate).IsAssignableFrom(type))
        {
            return false;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return IsImmutableType(underlying, visiting);
        }

        if (type.Namespace is "System.Collections.Immutable" or "System.Collections.Frozen" && !type.Name.Contains("Builder", StringComparison.Ordinal))
        {
            return type.GetGenericArguments().All(a => IsImmutableType(a, visiting));
        }

        if (type.IsAbstract)
        {
            return false;
        }

        if (!type.IsValueType && !type.IsSealed)
        {
            // A derived class could add mutable state.
            return false;
        }

        if (Rules.CapabilityRules.IsFrameworkAssembly(type.Assembly.GetName().Name ?? "") && !type.IsValueType)
        {
            return false;
        }

        if (!visiting.Add(type))
        {
            return true;
        }

        return s_types.GetOrAdd(type, t => AllFieldsImmutable(t, visiting));
    }

    private static bool AllFieldsImmutable(Type type, HashSet<Type> visiting)
    {
        for (var current = type; current is not null && current != typeof(object) && current != typeof(ValueType); current = current.BaseType)
        {
            foreach (var field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!field.IsInitOnly || !IsImmutableType(field.FieldType, visiting))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static Type? Resolve(INamedTypeSymbol type)
    {
        var assemblyName = type.ContainingAssembly?.Name;
        if (assemblyName is null)
        {
            return null;
        }

        var name = FullName(type.OriginalDefinition);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!assembly.IsDynamic && assembly.GetName().Name == assemblyName && assembly.GetType(name, throwOnError: false) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
