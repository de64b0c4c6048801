using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;

namespace Holes.Worker;

/// <summary>
/// Loads the host program's assemblies (its data types, its libraries) from the paths the host sent, read-only.
/// Their statics in the worker are the worker's own.
/// </summary>
internal static class AssemblyResolver
{
    private static readonly ConcurrentDictionary<string, string> s_paths = new(StringComparer.OrdinalIgnoreCase);

    public static void Install() => AssemblyLoadContext.Default.Resolving += Resolve;

    public static void Add(IReadOnlyDictionary<string, string> paths)
    {
        foreach (var (name, path) in paths)
        {
            s_paths.TryAdd(name, path);
        }
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) =>
        name.Name is { } simple && s_paths.TryGetValue(simple, out var path) && File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
}
