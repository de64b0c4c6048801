namespace Holes;

/// <summary>
/// A hole ran out of a budget: tokens or nested holes (<see cref="HoleOptions.Budget"/>,
/// <see cref="HoleOptions.SessionBudget"/>). <see cref="Budget"/> names which. Nothing was committed by the hole that
/// ran out.
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
        Budget = budget;
    }

    /// <summary>The budget that ran out, e.g. <c>HoleOptions.Budget.MaxInputTokens</c>.</summary>
    public string Budget { get; }
}
