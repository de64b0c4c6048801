namespace Holes.Pipeline.Model;

/// <summary>What the model answered for one attempt.</summary>
/// <param name="Code">The code, or <see langword="null"/> when the reply held none.</param>
/// <param name="GiveUp">The model's reason for giving up, when it did.</param>
/// <param name="Raw">The reply's text, kept in the conversation for the next attempt.</param>
internal sealed record ModelReply(string? Code, string? GiveUp, string Raw)
{
    /// <summary>The input tokens the provider reported for the call; <see langword="null"/> when it reported none.</summary>
    public long? InputTokens { get; init; }

    /// <summary>The output tokens the provider reported for the call; <see langword="null"/> when it reported none.</summary>
    public long? OutputTokens { get; init; }
}
