namespace Holes;

/// <summary>A snapshot of what an <see cref="AgentSession"/> has done so far.</summary>
public sealed class HoleStats
{
    internal HoleStats(
        long holes, long attempts, long accepted, long faulted, long retries, IReadOnlyDictionary<RejectionCause, long> rejections,
        long inputTokens, long outputTokens, TimeSpan modelTime, TimeSpan engineTime)
    {
        Holes = holes;
        Attempts = attempts;
        Accepted = accepted;
        Faulted = faulted;
        Retries = retries;
        RejectionsByCause = rejections;
        InputTokens = inputTokens;
        OutputTokens = outputTokens;
        ModelTime = modelTime;
        EngineTime = engineTime;
    }

    /// <summary>Holes reached (model-filled), nested ones included.</summary>
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

    /// <summary>Input tokens reported by the chat client.</summary>
    public long InputTokens { get; }

    /// <summary>Output tokens reported by the chat client.</summary>
    public long OutputTokens { get; }

    /// <summary>Time spent waiting for the model.</summary>
    public TimeSpan ModelTime { get; }

    /// <summary>Time spent in the engine: compiling, verifying, loading, running and committing fills.</summary>
    public TimeSpan EngineTime { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"holes {Holes}, attempts {Attempts}, accepted {Accepted}, rejected {Rejected} " +
        $"({string.Join(", ", RejectionsByCause.Where(r => r.Value > 0).Select(r => $"{r.Key} {r.Value}"))}), retries {Retries}, faulted {Faulted}, " +
        $"tokens {InputTokens} in / {OutputTokens} out, model {ModelTime.TotalMilliseconds:0} ms, engine {EngineTime.TotalMilliseconds:0} ms";
}
