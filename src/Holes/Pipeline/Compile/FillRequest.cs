using Holes.Pipeline.Verify;

namespace Holes.Pipeline.Compile;

/// <summary>Everything needed to compile one fill: the code and the context it is compiled in.</summary>
/// <param name="Code">The statements the model (or a caller of ExecuteAsync) wrote.</param>
/// <param name="ResultType">The type the code must return, fully qualified.</param>
/// <param name="Bindings">Values handed in, visible by name.</param>
/// <param name="Variables">Session variables visible by name (those not shadowed by a binding).</param>
/// <param name="Usings">Namespaces imported at the hole site.</param>
/// <param name="NestedHolesAllowed">False at the maximum depth: a nested <c>agent&lt;T&gt;</c> call is then rejected.</param>
/// <param name="Bound">The hole's effective capability bound; nested holes may be handed only capabilities within it. Null: unbounded.</param>
/// <param name="Pure">The hole runs inside a <c>Classified&lt;T&gt;</c> transform: its fill is verified with the purity rules.</param>
/// <param name="Granted">The capability types the session itself was granted; only those may be kept in session variables.</param>
internal sealed record FillRequest(
    string Code,
    string ResultType,
    IReadOnlyList<Binding> Bindings,
    IReadOnlyList<VariableSlot> Variables,
    IReadOnlyList<string> Usings,
    bool NestedHolesAllowed,
    HoleBound? Bound = null,
    bool Pure = false,
    IReadOnlyList<GrantedType>? Granted = null);

/// <summary>A session variable as a fill sees it: a name and a static type.</summary>
internal sealed record VariableSlot(string Name, string TypeName);
