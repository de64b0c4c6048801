using System.Globalization;

namespace Holes;

/// <summary>A snapshot of what an <see cref="AgentSession"/> has done so far.</summary>
/// <remarks>
/// Token counts come only from the usage the chat client reported. A model call that reported none is counted in
/// <see cref="ModelCallsWithoutUsage"/>, and when no call reported a count, <see cref="InputTokens"/> or
/// <see cref="OutputTokens"/> is <see langword="null"/> (unknown), never 0 or an estimate.
/// </remarks>
public sealed class HoleStats
{
    internal HoleStats(
        long holes, long attempts, long accepted, long faulted, long retries, IReadOnlyDictionary<RejectionCause, long> rejections,
        long modelCalls, long modelRetries, IReadOnlyDictionary<string, ModelStats> models, IReadOnlyDictionary<string, ModelStats> modelKeys,
        TimeSpan modelTime, TimeSpan engineTime)
    {
        Holes = holes;
        Attempts = attempts;
        Accepted = accepted;
        Faulted = faulted;
        Retries = retries;
        RejectionsByCause = rejections;
        ModelCalls = modelCalls;
        ModelRetries = modelRetries;
        Models = models;
        ModelKeys = modelKeys;
        ModelTime = modelTime;
        EngineTime = engineTime;
        InputTokens = Sum(models.Values.Select(m => m.InputTokens));
        OutputTokens = Sum(models.Values.Select(m => m.OutputTokens));
        ModelCallsWithoutUsage = models.Values.Sum(m => m.CallsWithoutUsage);
    }

    /// <summary>Holes reached, nested ones included, and <see cref="AgentSession.ExecuteAsync{T}"/> calls.</summary>
    public long Holes { get; }

    /// <summary>Code submissions checked: model attempts plus <see cref="AgentSession.ExecuteAsync{T}"/> calls.</summary>
    public long Attempts { get; }

    /// <summary>Submissions that passed every check and ran to completion.</summary>
    public long Accepted { get; }

    /// <summary>Submissions that passed every check but threw or were cancelled while running.</summary>
    public long Faulted { get; }

    /// <summary>Attempts after the first for the same hole.</summary>
    public long Retries { get; }

    /// <summary>Rejected submissions, by cause.</summary>
    public IReadOnlyDictionary<RejectionCause, long> RejectionsByCause { get; }

    /// <summary>All rejected submissions.</summary>
    public long Rejected => RejectionsByCause.Values.Sum();

    /// <summary>Model calls that returned a reply (a retried call counts once).</summary>
    public long ModelCalls { get; }

    /// <summary>Model calls that were sent again after a transient failure (HTTP 429, 5xx, a dropped connection).</summary>
    public long ModelRetries { get; }

    /// <summary>Model calls whose reply reported no token usage; their tokens are not in <see cref="InputTokens"/> or <see cref="OutputTokens"/>.</summary>
    public long ModelCallsWithoutUsage { get; }

    /// <summary>
    /// Input tokens the chat client reported, summed; <see langword="null"/> when no call reported any (unknown).
    /// When <see cref="ModelCallsWithoutUsage"/> is not 0 the true figure is higher.
    /// </summary>
    public long? InputTokens { get; }

    /// <summary>Output tokens the chat client reported, summed; <see langword="null"/> when no call reported any (unknown).</summary>
    public long? OutputTokens { get; }

    /// <summary>Calls, tokens and time per model (the request's model id, or the client's default; "unknown" when neither is known).</summary>
    public IReadOnlyDictionary<string, ModelStats> Models { get; }

    /// <summary>
    /// Calls, tokens and time per key of the session's models (<c>default</c> for the session's own client; see
    /// <see cref="AgentSession.Models"/>): which model the holes chose, where <see cref="Models"/> says which model id answered.
    /// </summary>
    public IReadOnlyDictionary<string, ModelStats> ModelKeys { get; }

    /// <summary>Time spent waiting for the model.</summary>
    public TimeSpan ModelTime { get; }

    /// <summary>Time spent in the engine: compiling, verifying, loading, running and committing fills.</summary>
    public TimeSpan EngineTime { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"holes {Holes}, attempts {Attempts}, accepted {Accepted}, rejected {Rejected} " +
        $"({string.Join(", ", RejectionsByCause.Where(r => r.Value > 0).Select(r => $"{r.Key} {r.Value}"))}), retries {Retries}, faulted {Faulted}, " +
        $"{TokensText()}, model {ModelTime.TotalMilliseconds:0} ms, engine {EngineTime.TotalMilliseconds:0} ms";

    internal string TokensText()
    {
        if (ModelCalls == 0)
        {
            return "tokens none (no model calls)";
        }

        if (InputTokens is null && OutputTokens is null)
        {
            return "tokens unknown (the model reported no usage)";
        }

        var text = $"tokens {Count(InputTokens)} in / {Count(OutputTokens)} out";
        return ModelCallsWithoutUsage == 0 ? text : text + $" ({ModelCallsWithoutUsage} of {ModelCalls} calls reported no usage)";
    }

    private static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "unknown";

    private static long? Sum(IEnumerable<long?> values)
    {
        long? total = null;
        foreach (var value in values)
        {
            if (value is { } v)
            {
                total = (total ?? 0) + v;
            }
        }

        return total;
    }
}

/// <summary>What one model did in a session: calls, reported tokens and time.</summary>
public sealed class ModelStats
{
    internal ModelStats(long calls, long callsWithoutUsage, long? inputTokens, long? outputTokens, TimeSpan time)
    {
        Calls = calls;
        CallsWithoutUsage = callsWithoutUsage;
        InputTokens = inputTokens;
        OutputTokens = outputTokens;
        Time = time;
    }

    /// <summary>Calls that returned a reply.</summary>
    public long Calls { get; }

    /// <summary>Calls whose reply reported no usage.</summary>
    public long CallsWithoutUsage { get; }

    /// <summary>Reported input tokens; <see langword="null"/> when no call reported any.</summary>
    public long? InputTokens { get; }

    /// <summary>Reported output tokens; <see langword="null"/> when no call reported any.</summary>
    public long? OutputTokens { get; }

    /// <summary>Time spent waiting for this model.</summary>
    public TimeSpan Time { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Calls} calls, tokens {InputTokens?.ToString(CultureInfo.InvariantCulture) ?? "unknown"} in / " +
        $"{OutputTokens?.ToString(CultureInfo.InvariantCulture) ?? "unknown"} out, {Time.TotalMilliseconds:0} ms";
}
