using System.Runtime.InteropServices;

namespace Holes.Execution.Isolated;

/// <summary>The host's own assemblies (not the shared framework's), by simple name: the worker loads the program's types from them.</summary>
internal static class HostAssemblies
{
    private static readonly Lock s_gate = new();
    private static int s_version = 1;
    private static int s_built;
    private static Dictionary<string, string> s_current = [];

    static HostAssemblies()
    {
        // Fills are collectible and come and go with every hole; only the program's own loads change the list.
        AppDomain.CurrentDomain.AssemblyLoad += (_, args) =>
        {
            if (!args.LoadedAssembly.IsDynamic && !args.LoadedAssembly.IsCollectible)
            {
                Interlocked.Increment(ref s_version);
            }
        };
    }

    /// <summary>Changes whenever the program loads an assembly.</summary>
    public static int Version => Volatile.Read(ref s_version);

    public static Dictionary<string, string> Current()
    {
        lock (s_gate)
        {
            var version = Version;
            if (version == s_built)
            {
                return s_current;
            }

            var framework = Path.GetFullPath(RuntimeEnvironment.GetRuntimeDirectory());
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
            {
                foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!path.StartsWith(framework, StringComparison.Ordinal))
                    {
                        map.TryAdd(Path.GetFileNameWithoutExtension(path), path);
                    }
                }
            }

            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (!assembly.IsDynamic && !assembly.IsCollectible && assembly.Location is { Length: > 0 } location && !location.StartsWith(framework, StringComparison.Ordinal))
                {
                    map.TryAdd(Path.GetFileNameWithoutExtension(location), location);
                }
            }

            s_built = version;
            s_current = map;
            return map;
        }
    }
}
