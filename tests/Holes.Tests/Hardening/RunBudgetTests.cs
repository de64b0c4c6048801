using Holes.Runtime;

namespace Holes.Tests.Hardening;

/// <summary>
/// Woven loops look at their budget only when <see cref="FillBudget.Stops"/> moves, so the count must keep moving while
/// a deadline is ahead, and every stop must move it. Nothing here is timed: the waits are only upper bounds.
/// </summary>
public class RunBudgetTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task While_a_deadline_is_ahead_the_count_the_loops_poll_keeps_moving()
    {
        using var budget = new RunBudget(TimeSpan.FromMinutes(1), CancellationToken.None);

        // Nothing stops a budget here: only the deadline clock moves the count, again and again.
        for (var beats = 0; beats < 3; beats++)
        {
            var before = Volatile.Read(ref FillBudget.Stops);
            await WaitUntil(() => Volatile.Read(ref FillBudget.Stops) != before);
        }

        Assert.False(budget.IsStopped);
    }

    [Theory]
    [InlineData((int)BudgetStop.Ended)]
    [InlineData((int)BudgetStop.Cancelled)]
    public void Every_stop_moves_the_count_the_loops_poll(int stop)
    {
        var reason = (BudgetStop)stop;
        using var budget = new RunBudget(null, CancellationToken.None);
        var before = Volatile.Read(ref FillBudget.Stops);

        budget.Stop(reason);

        Assert.NotEqual(before, Volatile.Read(ref FillBudget.Stops));
        Assert.Equal(reason, budget.Reason);
    }

    [Fact]
    public async Task Cancelling_the_callers_token_stops_the_budget()
    {
        using var cancellation = new CancellationTokenSource();
        using var budget = new RunBudget(null, cancellation.Token);

        await cancellation.CancelAsync();

        Assert.True(budget.IsStopped);
        Assert.Equal(BudgetStop.Cancelled, budget.Reason);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Hang, "The count of stops did not move.");
            await Task.Delay(5);
        }
    }
}
