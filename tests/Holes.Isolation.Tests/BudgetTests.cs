using Holes;
using Holes.Execution;
using Holes.Testing;
using static Holes.Isolation.Tests.Sessions;

namespace Holes.Isolation.Tests;

/// <summary>
/// A fill that runs out of a budget kills only its worker: the hole throws HoleBudgetExceededException naming the
/// site and the budget, the spare takes over with the data variables restored, and the session goes on.
/// </summary>
[Collection("budgets")]
public sealed class BudgetTests
{
    [Fact]
    public async Task A_runaway_loop_is_stopped_and_the_next_hole_sees_the_restored_variables()
    {
        var log = new List<string>();
        await using var session = Process(log);
        Accepted(await session.ExecuteAsync<int>("var kept = new List<int> { 1, 2, 3 }; var label = \"sum\"; Func<int, int> twice = x => x * 2; return 0;"));

        // The timeout covers the whole hole, compile included: set it once the compiler is warm, so a slow first
        // compile on a busy machine does not use it up.
        session.Options.Timeout = TimeSpan.FromSeconds(2);

        var budget = Budget(await session.ExecuteAsync<int>("while (true) { }"));
        Assert.Equal(HoleBudgetKind.WallTime, budget.Kind);
        Assert.Equal("2 s", budget.Limit);
        Assert.Contains("BudgetTests.cs:", budget.Location, StringComparison.Ordinal);
        Assert.Contains("BudgetTests.cs:", budget.Message, StringComparison.Ordinal);
        Assert.Contains("wall time", budget.Message, StringComparison.Ordinal);

        // The function lived only in the worker: it is named as lost, in the exception and the log.
        Assert.Equal(["twice (System.Func<int, int>)"], budget.LostVariables);
        Assert.Contains(log, l => l.Contains("twice", StringComparison.Ordinal) && l.Contains("replaced", StringComparison.Ordinal));

        Assert.Equal("sum 6", Accepted(await session.ExecuteAsync<string>("return label + \" \" + kept.Sum();")));
        Assert.DoesNotContain(session.Variables, v => v.Name == "twice");
    }

    [Fact]
    public async Task A_runaway_fill_from_the_model_throws_HoleBudgetExceededException()
    {
        var model = new ScriptedChatClient().ReplyWithCode("var n = 0; while (true) { n++; }");
        await using var session = Process(model: model);
        AgentSession.Current = session;
        Accepted(await session.ExecuteAsync<int>("return 0;"));
        session.Options.Timeout = TimeSpan.FromSeconds(2);
        var budget = await Assert.ThrowsAsync<HoleBudgetExceededException>(() => Agents.agent<int>("count forever"));
        Assert.Equal(HoleBudgetKind.WallTime, budget.Kind);
        Assert.Equal("count forever", budget.Task);
        Assert.Contains("BudgetTests.cs:", budget.Location, StringComparison.Ordinal);
        Assert.Equal(3, Accepted(await session.ExecuteAsync<int>("return 1 + 2;")));
    }

    [Fact]
    public async Task A_stack_overflow_kills_only_the_worker()
    {
        await using var session = Process();
        Accepted(await session.ExecuteAsync<int>("var survivor = 41; return 0;"));

        // Raw code with no budget checks (the engine's rewriting would stop this recursion before the stack ran out).
        var budget = Budget(await UncheckedFill.RunForTestsAsync<int>(session, "static int Deep(int n) => Deep(n + 1) + 1; return Deep(0);", CancellationToken.None));
        Assert.Equal(HoleBudgetKind.StackOverflow, budget.Kind);
        Assert.Contains("stack", budget.Message, StringComparison.Ordinal);

        Assert.Equal(42, Accepted(await session.ExecuteAsync<int>("return survivor + 1;")));
    }

    [Fact]
    public async Task A_memory_bomb_is_stopped_at_the_heap_limit()
    {
        await using var session = Process(configure: o => o.WorkerMemoryLimit = 128L << 20);
        Assert.True(session.Protections.HasFlag(HoleProtections.MemoryLimit));
        var result = await session.ExecuteAsync<int>("var hoard = new List<byte[]>(); while (true) { hoard.Add(new byte[1 << 20]); hoard[^1][0] = 1; }");
        var budget = Budget(result);
        Assert.Equal(HoleBudgetKind.Memory, budget.Kind);
        Assert.Same(budget, Assert.Throws<HoleBudgetExceededException>(() => result.GetValueOrThrow()));
        Assert.Equal("128 MB", budget.Limit);
        Assert.Equal(7, Accepted(await session.ExecuteAsync<int>("return 7;")));
    }

    [Fact]
    public async Task A_function_result_that_runs_away_is_stopped_under_the_session_budget()
    {
        await using var session = Process();
        var spin = Accepted(await session.ExecuteAsync<Func<int, int>>("return n => { while (true) { n++; } };"));
        session.Options.Timeout = TimeSpan.FromSeconds(1);
        var budget = Assert.Throws<HoleBudgetExceededException>(() => spin(1));
        Assert.Equal(HoleBudgetKind.WallTime, budget.Kind);

        // The function lived in the worker that was replaced: calling it again says so.
        var gone = Assert.ThrowsAny<HoleException>(() => spin(2));
        Assert.Contains("replaced", gone.Message, StringComparison.Ordinal);
        Assert.Equal(5, Accepted(await session.ExecuteAsync<int>("return 5;")));
    }

    [Fact]
    public async Task Cancelling_a_cooperative_fill_stops_it_without_killing_the_worker()
    {
        var log = new List<string>();
        await using var session = Process(log);
        Accepted(await session.ExecuteAsync<int>("Func<int, int> inc = x => x + 1; return 0;"));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.ExecuteAsync<int>("while (true) { }", cancellationToken: cancellation.Token));

        // The fill observed cancellation at its budget check: the worker, and the function in it, are still there.
        Assert.Equal(2, Accepted(await session.ExecuteAsync<int>("return inc(1);")));
        Assert.DoesNotContain(log, l => l.Contains("replaced", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Threads_that_spin_are_stopped_at_the_cpu_limit()
    {
        await using var session = Process(configure: o => { o.CpuTimeLimit = TimeSpan.FromSeconds(1); o.Timeout = TimeSpan.FromSeconds(60); });
        if (!session.Protections.HasFlag(HoleProtections.CpuLimit))
        {
            return;
        }

        // Raw code: the verifier would refuse threads. Two spinning threads use CPU time twice as fast as wall time.
        var budget = Budget(await UncheckedFill.RunForTestsAsync<int>(session, """
            var threads = Enumerable.Range(0, 2).Select(_ => new System.Threading.Thread(() => { while (true) { } })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            return 0;
            """, CancellationToken.None));
        Assert.Equal(HoleBudgetKind.CpuTime, budget.Kind);
        Assert.Equal(1, Accepted(await session.ExecuteAsync<int>("return 1;")));
    }
}
