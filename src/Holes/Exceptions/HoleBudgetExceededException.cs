namespace Holes;

/// <summary>
/// A hole ran out of a budget, and nothing it did was committed. <see cref="Kind"/> says which kind and
/// <see cref="Budget"/> names the limit:
/// <list type="bullet">
/// <item>what a hole tree may spend (<see cref="HoleOptions.Budget"/>, <see cref="HoleOptions.SessionBudget"/>): input or
/// output tokens, nested holes; checked before every model call;</item>
/// <item>what a fill may use while it runs: wall time (<see cref="HoleOptions.Timeout"/>; in process the hole stops
/// waiting at its deadline and the fill stops at its next budget check), and in the isolated worker
/// (<see cref="HoleIsolation.Process"/>) CPU time, memory and the stack, or the worker crashed. The worker was then
/// killed and replaced, and the session goes on with the variables of its last commit; variables that could not be
/// copied out of the worker (functions, capabilities, values that are not data) were lost and are named in
/// <see cref="LostVariables"/>.</item>
/// </list>
/// </summary>
public sealed class HoleBudgetExceededException : HoleException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">The hole site as <c>file:line</c>.</param>
    /// <param name="task">The hole's task.</param>
    /// <param name="budget">The budget that ran out, e.g. <c>HoleOptions.Budget.MaxInputTokens</c>.</param>
    /// <param name="message">What ran out, where, and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public HoleBudgetExceededException(string location, string? task, string budget, string message, Exception? innerException = null)
        : base(location, task, message, innerException)
    {
        Budget = budget ?? throw new ArgumentNullException(nameof(budget));
        Kind = KindOf(budget);
        Limit = "";
        LostVariables = [];
    }

    internal HoleBudgetExceededException(string location, string? task, HoleBudgetKind kind, string limit, string detail, IReadOnlyList<string> lostVariables)
        : base(location, task, Describe(location, task, kind, limit, detail, lostVariables))
    {
        Kind = kind;
        Budget = NameOf(kind);
        Limit = limit;
        LostVariables = lostVariables;
    }

    /// <summary>A fill running in this process ran out of wall time.</summary>
    internal HoleBudgetExceededException(string location, string? task, string limit, Exception? inner)
        : base(location, task, DescribeInProcess(location, task, limit), inner)
    {
        Kind = HoleBudgetKind.WallTime;
        Budget = NameOf(HoleBudgetKind.WallTime);
        Limit = limit;
        LostVariables = [];
    }

    /// <summary>A fill running in this process recursed past its stack budget; its thread was parked, not unwound.</summary>
    internal static HoleBudgetExceededException StackInProcess(string location, string? task, int megabytes)
    {
        var site = task is null ? $"The code run at {location}" : $"The fill for the hole at {location} (\"{task}\")";
        return new HoleBudgetExceededException(location, task, HoleBudgetKind.StackOverflow, megabytes + " MB",
            $"{site} recursed deeper than its stack budget ({megabytes} MB) in this process; nothing was committed. Its thread was parked rather than " +
            "unwound (unwinding deep recursion through code that catches and rethrows can overflow the real stack and end the process). " +
            "Ask for an iterative algorithm (a loop with an explicit Stack<T>) instead of deep recursion, or use HoleIsolation.Process.");
    }

    private HoleBudgetExceededException(string location, string? task, HoleBudgetKind kind, string limit, string message)
        : base(location, task, message)
    {
        Kind = kind;
        Budget = "the fill's stack";
        Limit = limit;
        LostVariables = [];
    }

    /// <summary>The kind of budget that ran out.</summary>
    public HoleBudgetKind Kind { get; }

    /// <summary>The limit that ran out, by the option that sets it, e.g. <c>HoleOptions.Budget.MaxInputTokens</c> or <c>HoleOptions.Timeout</c>.</summary>
    public string Budget { get; }

    /// <summary>The limit in force, as text (for example <c>5 s</c> or <c>256 MB</c>); empty where the message says it.</summary>
    public string Limit { get; }

    /// <summary>
    /// Session variables that lived only in the isolated worker and were lost with it, each as <c>name (type)</c>. Data
    /// variables are restored into the new worker from the last commit and are not listed.
    /// </summary>
    public IReadOnlyList<string> LostVariables { get; }

    private static string DescribeInProcess(string location, string? task, string limit)
    {
        var site = task is null ? $"The code run at {location}" : $"The fill for the hole at {location} (\"{task}\")";
        return $"{site} ran out of wall time ({limit}, HoleOptions.Timeout) and was abandoned; nothing was committed. It stops at its next " +
               "budget check; code stuck inside a framework call that never returns to the fill cannot be stopped in process and may keep a " +
               "thread busy until it returns (HoleIsolation.Process kills it instead). Raise HoleOptions.Timeout, or split the task into smaller holes.";
    }

    private static HoleBudgetKind KindOf(string budget) =>
        budget.EndsWith(nameof(HoleBudget.MaxInputTokens), StringComparison.Ordinal) ? HoleBudgetKind.InputTokens
        : budget.EndsWith(nameof(HoleBudget.MaxOutputTokens), StringComparison.Ordinal) ? HoleBudgetKind.OutputTokens
        : budget.EndsWith(nameof(HoleBudget.MaxNestedHoles), StringComparison.Ordinal) ? HoleBudgetKind.NestedHoles
        : budget.EndsWith(nameof(HoleOptions.CpuTimeLimit), StringComparison.Ordinal) ? HoleBudgetKind.CpuTime
        : budget.EndsWith(nameof(HoleOptions.WorkerMemoryLimit), StringComparison.Ordinal) ? HoleBudgetKind.Memory
        : HoleBudgetKind.WallTime;

    private static string NameOf(HoleBudgetKind kind) => kind switch
    {
        HoleBudgetKind.WallTime => nameof(HoleOptions) + "." + nameof(HoleOptions.Timeout),
        HoleBudgetKind.CpuTime => nameof(HoleOptions) + "." + nameof(HoleOptions.CpuTimeLimit),
        HoleBudgetKind.Memory => nameof(HoleOptions) + "." + nameof(HoleOptions.WorkerMemoryLimit),
        HoleBudgetKind.StackOverflow => "the worker's stack",
        _ => "the worker process",
    };

    private static string Describe(string location, string? task, HoleBudgetKind kind, string limit, string detail, IReadOnlyList<string> lost)
    {
        var what = kind switch
        {
            HoleBudgetKind.WallTime => $"ran out of wall time ({limit})",
            HoleBudgetKind.CpuTime => $"ran out of CPU time ({limit})",
            HoleBudgetKind.Memory => $"ran out of memory ({limit})",
            HoleBudgetKind.StackOverflow => "overflowed the stack",
            _ => "crashed the worker process",
        };
        var advice = kind switch
        {
            HoleBudgetKind.WallTime => "Raise HoleOptions.Timeout, or split the task into smaller holes.",
            HoleBudgetKind.CpuTime => "Raise HoleOptions.CpuTimeLimit, or ask for a cheaper algorithm.",
            HoleBudgetKind.Memory => "Raise HoleOptions.WorkerMemoryLimit, or ask for code that streams instead of materialising.",
            HoleBudgetKind.StackOverflow => "Ask for an iterative algorithm instead of deep recursion.",
            _ => "The worker's last output is above; report it if the fill did nothing unusual.",
        };
        var site = task is null ? $"The code run at {location}" : $"The fill for the hole at {location} (\"{task}\")";
        var lostText = lost.Count == 0
            ? "Session variables were restored from the last commit."
            : $"Session variables were restored from the last commit, except these, which were not data and lived only in the worker: {string.Join(", ", lost)}.";
        return $"{site} {what} in the isolated worker{(detail.Length > 0 ? " (" + detail + ")" : "")}; the worker was killed and replaced " +
               $"and nothing was committed. {lostText} {advice}";
    }
}
