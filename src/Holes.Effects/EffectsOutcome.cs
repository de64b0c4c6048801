namespace Holes.Effects;

/// <summary>What the build step did to an assembly.</summary>
public enum EffectsOutcome
{
    /// <summary>The effect table was computed and written into the assembly.</summary>
    Written,

    /// <summary>The assembly already carries <c>[assembly: HoleEffectsAnalyzed]</c>: left as it was.</summary>
    AlreadyAnalyzed,

    /// <summary>The assembly references Holes but neither calls <c>agent&lt;T&gt;</c> nor runs code through a session: no table is needed.</summary>
    NoHoles,

    /// <summary>The assembly does not reference Holes: left as it was.</summary>
    NoHolesReference,
}
