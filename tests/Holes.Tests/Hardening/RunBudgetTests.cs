using Holes.Runtime;

namespace Holes.Tests.Hardening;

/// <summary>
/// Woven loops look at their budget only when <see cref="FillBudget.Stops"/> moves, so a budget must stop by itself
/// when its time is up, and every stop must move the count. Nothing here is timed: the waits are only upper bounds.
/// </summary>
public class RunBudgetTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_budget_with_a_limit_stops_by_itself_when_its_time_is_up()
    {
        var before = Volatile.Read(ref FillBudget.Stops);
        using var budget = new RunBudget(TimeSpan.FromMilliseconds(20), CancellationToken.None);

        // No check reads the clock here: only the budget's own timer can stop it.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Delay(Timeout.Infinite, budget.Token).WaitAsync(Hang));

        Assert.True(budget.IsStopped);
        Assert.Equal(BudgetStop.TimedOut, budget.Reason);
        Assert.NotEqual(before, Volatile.Read(ref FillBudget.Stops));
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
}
