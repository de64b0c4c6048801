namespace Holes;

/// <summary>
/// How a hole retries a model call that failed for a transient reason: HTTP 429 (rate limited), 408, 5xx, or a
/// connection that failed or was closed. The retry repeats the same request, so it does not use up one of the
/// hole's <see cref="HoleOptions.MaxAttempts"/>. Backoff is exponential with jitter; a <c>Retry-After</c> (or
/// <c>retry-after-ms</c>) header sent by the provider is honoured instead when the provider's client exposes it.
/// </summary>
/// <remarks>
/// Provider clients often retry on their own (the OpenAI client retries 3 times by default). Turn one of the two
/// off, or the waits multiply: for OpenAI, <c>new OpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(0) }</c>.
/// </remarks>
public sealed class ModelRetryOptions
{
    /// <summary>Retries after the first try of a model call. Default 3; 0 turns retrying off.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The wait before the first retry; it doubles for each later one (with jitter). Default 1 second.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait before a retry, whether from backoff or from the provider's <c>Retry-After</c>. When the
    /// provider asks for a longer wait, the call is not retried and the hole fails, saying how long the provider
    /// asked for. Default 30 seconds.
    /// </summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Decides which failures are transient, for providers whose exceptions Holes does not recognise. It is asked
    /// first; return <see langword="null"/> to fall back to the built-in rules (an <see cref="HttpRequestException"/>
    /// with status 408, 429 or 5xx or no status at all, or an exception with an integer <c>Status</c> property of
    /// those values, such as <c>System.ClientModel.ClientResultException</c>, anywhere in the inner exceptions).
    /// </summary>
    public Func<Exception, bool?>? IsTransient { get; set; }

    internal void Validate()
    {
        if (MaxRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "HoleOptions.ModelRetry.MaxRetries must be 0 (no retries) or more.");
        }

        if (BaseDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BaseDelay), BaseDelay, "HoleOptions.ModelRetry.BaseDelay must not be negative.");
        }

        if (MaxDelay < BaseDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "HoleOptions.ModelRetry.MaxDelay must be at least BaseDelay.");
        }
    }
}
