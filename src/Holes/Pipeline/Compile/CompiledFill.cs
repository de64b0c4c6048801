using Holes.Runtime;

namespace Holes.Pipeline.Compile;

/// <summary>A fill that passed every check: its image, and what the engine learned about it while checking.</summary>
/// <param name="Image">The emitted assembly.</param>
/// <param name="DeclaredTypes">Type names of the top-level variables it declares, by name.</param>
/// <param name="WrittenVariables">Indices of session variables it assigns.</param>
/// <param name="NestedSites">Descriptors of the <c>agent&lt;T&gt;</c> calls it contains, by index (null where one could not be described).</param>
/// <param name="Source">The compiled source, for diagnostics.</param>
internal sealed record CompiledFill(
    byte[] Image,
    IReadOnlyDictionary<string, string> DeclaredTypes,
    IReadOnlySet<int> WrittenVariables,
    IReadOnlyList<NestedSite?> NestedSites,
    FillSource Source)
{
    /// <summary>Indices of the nested holes called from a <c>Classified&lt;T&gt;</c> transform: they run pure.</summary>
    public IReadOnlySet<int> PureNestedSites { get; init; } = new HashSet<int>();

    /// <summary>For each method the budget checks were woven into (by metadata token), how its IL offsets map back to the unwoven image's.</summary>
    public IReadOnlyDictionary<int, OffsetMap> OffsetMaps { get; init; } = new Dictionary<int, OffsetMap>();
}

/// <summary>A nested hole inside a fill: its site, and how many of its parameters are explicit arguments (the rest are scope).</summary>
internal sealed record NestedSite(HoleSite Site, int ExplicitCount);

/// <summary>The outcome of compiling and checking a fill: either a <see cref="CompiledFill"/> or the reasons it was rejected.</summary>
internal sealed record CompileOutcome(CompiledFill? Fill, IReadOnlyList<HoleDiagnostic> Diagnostics)
{
    public bool IsAccepted => Fill is not null;
}
