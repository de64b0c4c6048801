using Holes.Execution.Protocol;
using Holes.Pipeline.Compile;

namespace Holes.Execution.Isolated;

/// <summary>
/// In the isolated worker a capability exists only as a proxy of its <c>[Capability]</c> interface, so a capability
/// handed to a hole as its class (<c>FileSystem files</c> rather than <c>IFileSystem files</c>) is handed as that
/// interface instead: the model is shown the interface, the fill is compiled against it, and the proxy fits. A class
/// with no single <c>[Capability]</c> interface keeps its type (and is refused, by name, when it would cross).
/// </summary>
internal static class HandedContracts
{
    /// <summary><paramref name="bindings"/>, with every capability handed as a class retyped as its capability interface.</summary>
    public static IReadOnlyList<Binding> ForWorker(IReadOnlyList<Binding> bindings)
    {
        List<Binding>? retyped = null;
        for (var i = 0; i < bindings.Count; i++)
        {
            var binding = bindings[i];
            if (binding.Value is { } value && value.GetType() is { IsInterface: false } type && CapabilityTypes.IsCapability(type) &&
                CapabilityTypes.InterfaceFor(type, binding.TypeName) is null && CapabilityTypes.InterfaceFor(type, "object") is { } contract)
            {
                retyped ??= [.. bindings];
                retyped[i] = binding with { TypeName = RuntimeTypeNames.FullyQualified(contract) };
            }
        }

        return retyped ?? bindings;
    }
}
