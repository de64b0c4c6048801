using System.Diagnostics;
using System.Globalization;
using Holes.Execution.Protocol;
using Holes.Pipeline.Nesting;
using Holes.Pipeline.Run;
using Holes.Runtime;

namespace Holes.Execution;

/// <summary>
/// <see cref="HoleIsolation.InProcess"/>: the fill runs in this process, in its own collectible load context, on a
/// thread of its own under a budget. The hole waits for it until its deadline (<see cref="HoleOptions.Timeout"/>,
/// counted from the start of the hole; for <see cref="AgentSession.ExecuteAsync{T}"/>, from the start of the run) and
/// no longer: a fill still running then is abandoned, its budget stopped, and
/// the hole throws <see cref="HoleBudgetExceededException"/>.
/// </summary>
internal sealed class InProcessRunner : IFillRunner
{
    /// <summary>A runner with no wall-time limit (cancellation only).</summary>
    public static readonly InProcessRunner Instance = new(null);

    private readonly TimeSpan? _limit;

    public InProcessRunner(TimeSpan? limit) => _limit = limit;

    public async Task<FillOutcome> RunAsync<T>(FillRun run, CancellationToken cancellationToken)
    {
        var context = run.Context;
        var deadline = _limit is { } limit ? context.BudgetStart() + (long)(limit.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        var remaining = Remaining(deadline);
        if (deadline != long.MaxValue && remaining <= TimeSpan.Zero)
        {
            throw OverBudget(context, null);
        }

        using var budget = new RunBudget(_limit is null ? null : remaining, cancellationToken);
        var frame = new FillFrame(
            [.. run.Bindings.Select(b => b.Value)],
            [.. run.Variables.Select(v => v.Value)],
            run.Fill,
            run.Context) { Wrap = (value, type) => BudgetedValue.Wrap(value, type, _limit) };
        var previous = HoleContext.Current;
        HoleContext.Current = context;
        context.RunToken = budget.Token;
        try
        {
            var value = await WaitAsync(FillRunner.RunAsync(run.Fill, frame, budget), budget, context, deadline, cancellationToken).ConfigureAwait(false);
            if (CallShapes.IsAsync(typeof(T)) && value is Task task)
            {
                // A Task-typed hole's value is awaited here, under the fill's budget, as the isolated worker does.
                await WaitAsync(task.ContinueWith(static _ => (object?)null, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default),
                    budget, context, deadline, cancellationToken).ConfigureAwait(false);
            }

            frame.End();
            return new FillOutcome(BudgetedValue.Wrap(value, typeof(T), _limit), [.. frame.Declared()], [.. frame.Assigned(run.Slots)]);
        }
        finally
        {
            // The fill is over: anything it left running stops at its next budget check, and can commit nothing.
            frame.End();
            budget.Stop(BudgetStop.Ended);
            HoleContext.Current = previous;
        }
    }

    /// <summary>Waits for the fill until the deadline or the caller's cancellation, whichever comes first.</summary>
    private async Task<object?> WaitAsync(Task<object?> running, RunBudget budget, HoleContext context, long deadline, CancellationToken cancellationToken)
    {
        Task first;
        try
        {
            first = deadline == long.MaxValue
                ? await Task.WhenAny(running, budget.Parked).WaitAsync(cancellationToken).ConfigureAwait(false)
                : await Task.WhenAny(running, budget.Parked).WaitAsync(Remaining(deadline), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            if (!running.IsCompleted)
            {
                budget.Stop(BudgetStop.TimedOut);
                throw OverBudget(context, ex);
            }

            // The fill finished at the deadline (its own budget check may have stopped it): its outcome decides.
            first = running;
        }
        catch (OperationCanceledException ex)
        {
            if (PastDeadline(ex, budget, context, deadline) is { } over)
            {
                throw over;
            }

            throw;
        }

        if (first != running)
        {
            throw HoleBudgetExceededException.StackInProcess(context.Site.Location, context.Task == ExecuteTask ? null : context.Task, FillBudget.RecursionStack / (1024 * 1024));
        }

        try
        {
            return await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            if (PastDeadline(ex, budget, context, deadline) is { } over)
            {
                throw over;
            }

            throw;
        }
    }

    /// <summary>
    /// What a cancellation means: past the deadline (the hole's own timeout cancels its token at the deadline too, and a
    /// budget stopped by its deadline throws one), the wall-time budget ran out; otherwise (null) the caller cancelled.
    /// </summary>
    private HoleBudgetExceededException? PastDeadline(OperationCanceledException ex, RunBudget budget, HoleContext context, long deadline)
    {
        if (deadline != long.MaxValue && Stopwatch.GetTimestamp() >= deadline - Stopwatch.Frequency / 20 || budget.Reason == BudgetStop.TimedOut)
        {
            budget.Stop(BudgetStop.TimedOut);
            return OverBudget(context, ex);
        }

        budget.Stop(BudgetStop.Cancelled);
        return null;
    }

    private static TimeSpan Remaining(long deadline) =>
        deadline == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(Math.Max(0, deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);

    private HoleBudgetExceededException OverBudget(HoleContext context, Exception? inner) => new(
        context.Site.Location, context.Task == ExecuteTask ? null : context.Task,
        (_limit ?? TimeSpan.Zero).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s", inner);

    /// <summary>The task text <see cref="AgentSession.ExecuteAsync{T}"/> gives its context.</summary>
    internal const string ExecuteTask = "(code run by ExecuteAsync)";
}
