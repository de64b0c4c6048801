namespace Holes;

/// <summary>One proposed fill for a hole and what the checks said about it.</summary>
/// <param name="Number">The 1-based attempt number.</param>
/// <param name="Code">The code the model proposed, or <see langword="null"/> when its reply held no code.</param>
/// <param name="Diagnostics">Why it was rejected; empty for an attempt that passed.</param>
public sealed record HoleAttempt(int Number, string? Code, IReadOnlyList<HoleDiagnostic> Diagnostics);
