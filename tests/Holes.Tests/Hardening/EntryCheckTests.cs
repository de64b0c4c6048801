using Holes.Pipeline.Run;
using Holes.Runtime;

namespace Holes.Tests.Hardening;

/// <summary>
/// The entry check woven into every fill method counts entries and compares a count of stops, and looks at the budget
/// itself only now and then; these cases must still be seen at the very next entry, on the fill thread that holds the
/// fast path and on any other.
/// </summary>
public class EntryCheckTests
{
    [Fact]
    public void A_stopped_budget_is_seen_at_the_next_entry()
    {
        var thrown = OnFillThread(() =>
        {
            using var budget = new RunBudget(null, CancellationToken.None);
            using (FillBudget.Use(budget))
            {
                Enter(100);
                budget.Stop(BudgetStop.Ended);
                return Record.Exception(FillBudget.Enter);
            }
        });

        var stopped = Assert.IsType<OperationCanceledException>(thrown);
        Assert.Contains("has ended", stopped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_left_running_without_a_budget_is_refused_at_its_next_entry()
    {
        var thrown = OnFillThread(() =>
        {
            using (var budget = new RunBudget(null, CancellationToken.None))
            using (FillBudget.Use(budget))
            {
                Enter(100);
            }

            return Record.Exception(FillBudget.Enter);
        });

        var refused = Assert.IsType<InvalidOperationException>(thrown);
        Assert.Contains("outside any hole", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_budget_on_the_same_thread_is_checked_at_the_next_entry()
    {
        var thrown = OnFillThread(() =>
        {
            using var first = new RunBudget(null, CancellationToken.None);
            using var second = new RunBudget(null, CancellationToken.None);
            second.Stop(BudgetStop.Cancelled);
            using (FillBudget.Use(first))
            {
                Enter(100);
                using (FillBudget.Use(second))
                {
                    return Record.Exception(FillBudget.Enter);
                }
            }
        });

        Assert.IsType<OperationCanceledException>(thrown);
    }

    [Fact]
    public async Task Two_fill_threads_at_once_each_see_their_own_budget()
    {
        // One of them holds the fast path, the other uses the thread-static one; neither may see the other's stop.
        using var bothStarted = new Barrier(2);
        using var firstStopped = new ManualResetEventSlim();
        Exception? healthy = null;
        var stoppedSeen = false;
        var first = Task.Run(() => OnFillThread(() =>
        {
            using var budget = new RunBudget(null, CancellationToken.None);
            using (FillBudget.Use(budget))
            {
                bothStarted.SignalAndWait();
                Enter(100);
                budget.Stop(BudgetStop.Ended);
                stoppedSeen = Record.Exception(FillBudget.Enter) is OperationCanceledException;
                firstStopped.Set();
                return null;
            }
        }));
        var second = Task.Run(() => OnFillThread(() =>
        {
            using var budget = new RunBudget(null, CancellationToken.None);
            using (FillBudget.Use(budget))
            {
                bothStarted.SignalAndWait();
                firstStopped.Wait();
                healthy = Record.Exception(() => Enter(100));
                return null;
            }
        }));

        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(stoppedSeen);
        Assert.Null(healthy);
    }

    private static void Enter(int times)
    {
        for (var i = 0; i < times; i++)
        {
            FillBudget.Enter();
        }
    }

    /// <summary>Runs <paramref name="body"/> on a thread set up as the engine sets up a fill's thread.</summary>
    private static Exception? OnFillThread(Func<Exception?> body)
    {
        Exception? result = null;
        var thread = new Thread(() =>
        {
            using var stack = FillBudget.StartStackBudget();
            result = body();
        }, FillThread.StackSize);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromMinutes(2)));
        return result;
    }
}
