using Holes.Capabilities;
using Microsoft.Extensions.AI;

namespace Holes;

/// <summary>Options that govern how holes are filled in an <see cref="AgentSession"/>.</summary>
public sealed class HoleOptions
{
    /// <summary>How many fills the model may propose for one hole before it is rejected. Default 4.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>How deeply holes may nest (a fill that calls <c>agent&lt;T&gt;</c> is one level deeper). Default 8.</summary>
    public int MaxDepth { get; set; } = 8;

    /// <summary>
    /// The time one hole may take, from its first model call until its fill has run (nested holes included).
    /// <see langword="null"/> (the default) means no limit beyond the caller's cancellation token.
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// When <see langword="true"/>, an exception thrown by an accepted fill is shown to the model, which gets another
    /// attempt. When <see langword="false"/> (the default), it propagates as a <see cref="HoleFaultedException"/>.
    /// </summary>
    public bool RetryOnRuntimeException { get; set; }

    /// <summary>What fills may touch. Defaults to <see cref="CapabilityPolicy.Default"/>.</summary>
    public CapabilityPolicy Policy { get; set; } = CapabilityPolicy.Default;

    /// <summary>
    /// Chat options sent with every model call (model id, temperature, ...). The engine adds its response format;
    /// everything else is passed through unchanged.
    /// </summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>
    /// When <see langword="true"/> (the default) the model is asked for a JSON object through
    /// <see cref="ChatResponseFormat.ForJsonSchema(System.Text.Json.JsonElement, string?, string?)"/>.
    /// Turn it off for providers that reject response schemas; code is then taken from a fenced block.
    /// </summary>
    public bool UseStructuredOutput { get; set; } = true;

    internal void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "HoleOptions.MaxAttempts must be at least 1.");
        }

        if (MaxDepth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDepth), MaxDepth, "HoleOptions.MaxDepth must be at least 1.");
        }

        if (Timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), t, "HoleOptions.Timeout must be positive, or null for no limit.");
        }

        ArgumentNullException.ThrowIfNull(Policy, nameof(Policy));
    }
}
