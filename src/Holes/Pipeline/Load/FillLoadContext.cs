using System.Reflection;
using System.Runtime.Loader;

namespace Holes.Pipeline.Load;

/// <summary>
/// A collectible load context for one fill, so a fill's code is unloaded once nothing refers to it and memory stays
/// bounded over thousands of holes. Everything the fill references resolves in the context Holes itself lives in,
/// so fills see the very same types as the host.
/// </summary>
internal sealed class FillLoadContext : AssemblyLoadContext
{
    private static readonly AssemblyLoadContext s_host = GetLoadContext(typeof(FillLoadContext).Assembly) ?? Default;

    public FillLoadContext() : base("Holes.Fill", isCollectible: true)
    {
    }

    protected override Assembly? Load(AssemblyName assemblyName) =>
        ReferenceEquals(s_host, Default) ? null : s_host.LoadFromAssemblyName(assemblyName);
}
