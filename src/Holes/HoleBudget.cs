namespace Holes;

/// <summary>
/// Limits on what holes may spend: input and output tokens, and nested holes. <see cref="HoleOptions.Budget"/> applies
/// to each hole together with every hole nested below it; <see cref="HoleOptions.SessionBudget"/> to everything the
/// session does. A limit left <see langword="null"/> does not apply.
/// </summary>
/// <remarks>
/// Budgets are checked before every model call, against what was spent so far; one call can therefore overshoot a
/// token limit by its own size, and the next is refused. Tokens are counted only from the usage the provider
/// reported: a call that reported none counts nothing, and the session logs a warning the first time that happens
/// under a token limit (see docs/models.md).
/// </remarks>
public sealed class HoleBudget
{
    /// <summary>The most input (prompt) tokens, as reported by the provider; <see langword="null"/> for no limit.</summary>
    public long? MaxInputTokens { get; set; }

    /// <summary>The most output (completion) tokens, as reported by the provider; <see langword="null"/> for no limit.</summary>
    public long? MaxOutputTokens { get; set; }

    /// <summary>
    /// The most holes nested below (reached by fills, at any depth); <see langword="null"/> for no limit. For
    /// <see cref="HoleOptions.SessionBudget"/>: the most nested holes over the session's life (holes the program itself
    /// reaches are not counted; the program's own code bounds those).
    /// </summary>
    public int? MaxNestedHoles { get; set; }

    /// <summary>Whether any limit is set.</summary>
    internal bool IsLimited => MaxInputTokens is not null || MaxOutputTokens is not null || MaxNestedHoles is not null;

    internal bool LimitsTokens => MaxInputTokens is not null || MaxOutputTokens is not null;

    internal void Validate(string name)
    {
        if (MaxInputTokens < 0)
        {
            throw new ArgumentOutOfRangeException(name + "." + nameof(MaxInputTokens), MaxInputTokens, $"HoleOptions.{name}.{nameof(MaxInputTokens)} must be 0 or more, or null for no limit.");
        }

        if (MaxOutputTokens < 0)
        {
            throw new ArgumentOutOfRangeException(name + "." + nameof(MaxOutputTokens), MaxOutputTokens, $"HoleOptions.{name}.{nameof(MaxOutputTokens)} must be 0 or more, or null for no limit.");
        }

        if (MaxNestedHoles < 0)
        {
            throw new ArgumentOutOfRangeException(name + "." + nameof(MaxNestedHoles), MaxNestedHoles, $"HoleOptions.{name}.{nameof(MaxNestedHoles)} must be 0 or more, or null for no limit.");
        }
    }
}
