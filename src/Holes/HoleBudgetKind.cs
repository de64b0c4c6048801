namespace Holes;

/// <summary>Which kind of budget a hole ran out of, as <see cref="HoleBudgetExceededException.Kind"/> reports it.</summary>
public enum HoleBudgetKind
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

    /// <summary>Input tokens: <see cref="HoleBudget.MaxInputTokens"/> of <see cref="HoleOptions.Budget"/> or <see cref="HoleOptions.SessionBudget"/>.</summary>
    InputTokens = 5,

    /// <summary>Output tokens: <see cref="HoleBudget.MaxOutputTokens"/>.</summary>
    OutputTokens = 6,

    /// <summary>Nested holes: <see cref="HoleBudget.MaxNestedHoles"/>.</summary>
    NestedHoles = 7,
}
