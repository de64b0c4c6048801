using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;

namespace Holes.Execution.Protocol;

/// <summary>Names types on the wire (assembly-qualified) and finds them again on the other side.</summary>
internal static class WireTypes
{
    private static readonly ConcurrentDictionary<string, Type?> s_resolved = new(StringComparer.Ordinal);

    public static string Name(Type type) => type.AssemblyQualifiedName ?? type.FullName ?? type.Name;

    /// <summary>The type, or null when it cannot be found here (a type of a fill's own assembly, say).</summary>
    public static Type? Resolve(string name) => s_resolved.GetOrAdd(name, static n =>
    {
        try
        {
            return Type.GetType(n, FindAssembly, typeResolver: null, throwOnError: false);
        }
        catch (Exception ex) when (ex is FileLoadException or BadImageFormatException or ArgumentException or TypeLoadException)
        {
            return null;
        }
    });

    /// <summary>By simple name, ignoring versions: both sides load the same files, the worker through the host's list.</summary>
    private static Assembly? FindAssembly(AssemblyName name)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!assembly.IsCollectible && string.Equals(assembly.GetName().Name, name.Name, StringComparison.OrdinalIgnoreCase))
            {
                return assembly;
            }
        }

        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(name.Name!));
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }
}
