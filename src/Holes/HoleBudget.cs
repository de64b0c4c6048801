namespace Holes;

/// <summary>Which budget a fill ran out of, as <see cref="HoleBudgetExceededException.Budget"/> reports it.</summary>
public enum HoleBudget
{
    /// <summary>Wall-clock time: <see cref="HoleOptions.Timeout"/> (or the isolated executor's default).</summary>
    WallTime = 0,

    /// <summary>CPU time: <see cref="HoleOptions.CpuTimeLimit"/>.</summary>
    CpuTime = 1,

    /// <summary>Memory: <see cref="HoleOptions.WorkerMemoryLimit"/>.</summary>
    Memory = 2,

    /// <summary>The stack: the fill recursed until the worker's stack overflowed.</summary>
    StackOverflow = 3,

    /// <summary>The worker process died for another reason (a crash); its exit status is in the message.</summary>
    Crash = 4,
}
