namespace Holes;

/// <summary>
/// A fill ran out of a budget, and nothing it did was committed. In process (<see cref="HoleIsolation.InProcess"/>) the
/// budget is wall time (<see cref="HoleOptions.Timeout"/>): the hole stopped waiting for the fill at its deadline and the
/// fill stops at its next budget check. In the isolated worker (<see cref="HoleIsolation.Process"/>) it is wall time,
/// CPU time, memory, or the stack, or the worker crashed: the worker was killed and replaced, and the session goes on
/// with the variables of its last commit. Variables that could not be copied out of the worker (functions,
/// capabilities, values that are not data) were lost and are named in <see cref="LostVariables"/>.
/// </summary>
public sealed class HoleBudgetExceededException : HoleException
{
    internal HoleBudgetExceededException(string location, string? task, HoleBudget budget, string limit, string detail, IReadOnlyList<string> lostVariables)
        : base(location, task, Describe(location, task, budget, limit, detail, lostVariables))
    {
        Budget = budget;
        Limit = limit;
        LostVariables = lostVariables;
    }

    /// <summary>A fill running in this process ran out of wall time.</summary>
    internal HoleBudgetExceededException(string location, string? task, string limit, Exception? inner)
        : base(location, task, DescribeInProcess(location, task, limit), inner)
    {
        Budget = HoleBudget.WallTime;
        Limit = limit;
        LostVariables = [];
    }

    /// <summary>The budget that ran out.</summary>
    public HoleBudget Budget { get; }

    /// <summary>The limit in force, as text (for example <c>5 s</c> or <c>256 MB</c>); empty for a crash.</summary>
    public string Limit { get; }

    /// <summary>
    /// Session variables that lived only in the worker and were lost with it, each as <c>name (type)</c>. Data
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

    private static string Describe(string location, string? task, HoleBudget budget, string limit, string detail, IReadOnlyList<string> lost)
    {
        var what = budget switch
        {
            HoleBudget.WallTime => $"ran out of wall time ({limit})",
            HoleBudget.CpuTime => $"ran out of CPU time ({limit})",
            HoleBudget.Memory => $"ran out of memory ({limit})",
            HoleBudget.StackOverflow => "overflowed the stack",
            _ => "crashed the worker process",
        };
        var advice = budget switch
        {
            HoleBudget.WallTime => "Raise HoleOptions.Timeout, or split the task into smaller holes.",
            HoleBudget.CpuTime => "Raise HoleOptions.CpuTimeLimit, or ask for a cheaper algorithm.",
            HoleBudget.Memory => "Raise HoleOptions.WorkerMemoryLimit, or ask for code that streams instead of materialising.",
            HoleBudget.StackOverflow => "Ask for an iterative algorithm instead of deep recursion.",
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
