using System.Collections.Concurrent;

namespace Holes.Execution.Protocol;

/// <summary>
/// Recognises capabilities at run time: a type marked <see cref="CapabilityAttribute"/>, or one that derives from or
/// implements such a type (the mark is inherited, interfaces included).
/// </summary>
internal static class CapabilityTypes
{
    private static readonly ConcurrentDictionary<Type, bool> s_cache = new();

    public static bool IsCapability(Type type) => s_cache.GetOrAdd(type, static t =>
    {
        for (var current = t; current is not null; current = current.BaseType)
        {
            if (current.IsDefined(typeof(CapabilityAttribute), inherit: false))
            {
                return true;
            }
        }

        return t.GetInterfaces().Any(i => i.IsDefined(typeof(CapabilityAttribute), inherit: false));
    });

    /// <summary>
    /// The interface a capability crosses as: the static type it was handed as when that is an interface, else its
    /// only [Capability] interface; null when there is none to proxy.
    /// </summary>
    public static Type? InterfaceFor(Type runtimeType, string staticTypeName)
    {
        var interfaces = runtimeType.IsInterface ? [runtimeType, .. runtimeType.GetInterfaces()] : runtimeType.GetInterfaces();
        var named = interfaces.FirstOrDefault(i => Holes.Pipeline.Compile.RuntimeTypeNames.FullyQualified(i) == staticTypeName);
        if (named is not null)
        {
            return named;
        }

        var marked = interfaces.Where(i => i.IsDefined(typeof(CapabilityAttribute), inherit: false)).ToList();
        var untyped = staticTypeName is "object" or "global::System.Object";
        return marked.Count == 1 && untyped ? marked[0] : null;
    }
}
