namespace Holes;

/// <summary>What a hole is doing, as reported to <see cref="HoleOptions.Progress"/>.</summary>
public enum HoleProgressStage
{
    /// <summary>The hole was reached.</summary>
    Started,

    /// <summary>The hole sent its request and is waiting for the model's reply.</summary>
    WaitingForModel,

    /// <summary>The model call failed for a transient reason; the same request is sent again after <see cref="HoleProgress.RetryDelay"/>.</summary>
    RetryingModel,

    /// <summary>The reply arrived; its code is being compiled and checked against the capability bound.</summary>
    Checking,

    /// <summary>The code passed every check and is running.</summary>
    Running,

    /// <summary>The attempt was rejected (its diagnostics are in <see cref="HoleProgress.Detail"/>); another attempt follows if any are left.</summary>
    Rejected,

    /// <summary>The hole produced its value and committed its variables.</summary>
    Filled,

    /// <summary>The hole failed; <see cref="HoleProgress.Detail"/> says why.</summary>
    Failed,
}

/// <summary>
/// One report of a hole's progress: which hole, what it is doing, on which attempt, with which model. A person
/// watching a long workflow sees from these which hole waits on which model, for how long and on which attempt.
/// </summary>
public sealed class HoleProgress
{
    internal HoleProgress(
        long holeId, long? parentId, string site, string task, int depth, HoleProgressStage stage, int attempt, int maxAttempts,
        string? model, DateTimeOffset timestamp, TimeSpan holeElapsed, TimeSpan? retryDelay, string? detail)
    {
        HoleId = holeId;
        ParentId = parentId;
        Site = site;
        Task = task;
        Depth = depth;
        Stage = stage;
        Attempt = attempt;
        MaxAttempts = maxAttempts;
        Model = model;
        Timestamp = timestamp;
        HoleElapsed = holeElapsed;
        RetryDelay = retryDelay;
        Detail = detail;
    }

    /// <summary>Identifies the hole among all holes of the process; every report of one hole has the same id.</summary>
    public long HoleId { get; }

    /// <summary>The <see cref="HoleId"/> of the hole whose fill reached this one; <see langword="null"/> for a top-level hole.</summary>
    public long? ParentId { get; }

    /// <summary>The hole's site as <c>file:line</c>.</summary>
    public string Site { get; }

    /// <summary>The hole's task.</summary>
    public string Task { get; }

    /// <summary>The nesting depth: 1 for a hole in the program, 2 for a hole in its fill, ...</summary>
    public int Depth { get; }

    /// <summary>What the hole is doing now.</summary>
    public HoleProgressStage Stage { get; }

    /// <summary>The 1-based attempt; 0 before the first request.</summary>
    public int Attempt { get; }

    /// <summary>The configured <see cref="HoleOptions.MaxAttempts"/>.</summary>
    public int MaxAttempts { get; }

    /// <summary>The model the hole asks (the request's model id, or the client's default), when known.</summary>
    public string? Model { get; }

    /// <summary>The key of the session's model the hole is filled with (<c>default</c> for the session's own client), when known.</summary>
    public string? ModelKey { get; internal init; }

    /// <summary>When this stage began (UTC). The time spent in it so far is now minus this.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The time since the hole started.</summary>
    public TimeSpan HoleElapsed { get; }

    /// <summary>For <see cref="HoleProgressStage.RetryingModel"/>: the wait before the retry.</summary>
    public TimeSpan? RetryDelay { get; }

    /// <summary>Why: the rejection's diagnostic ids, the transient failure being retried, or the failure.</summary>
    public string? Detail { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Site} \"{Task}\" {Stage}" + (Attempt > 0 ? $" attempt {Attempt}/{MaxAttempts}" : "") + (Model is null ? "" : $" ({Model})") +
        (Detail is null ? "" : $": {Detail}");
}
