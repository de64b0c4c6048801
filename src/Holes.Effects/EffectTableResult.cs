namespace Holes.Effects;

/// <summary>A program's effect table, as the build step writes it into the assembly.</summary>
/// <param name="Effects">Documentation comment id → effect path: types that are authority and members that reach an effect.</param>
/// <param name="EffectFree">Ids of the static methods and properties proven effect-free, sorted.</param>
public sealed record EffectTableResult(IReadOnlyDictionary<string, string> Effects, IReadOnlyList<string> EffectFree);
