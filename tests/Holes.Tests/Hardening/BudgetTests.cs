using Holes.Testing;
using static Holes.Agents;

namespace Holes.Tests.Hardening;

/// <summary>
/// In process, every entry point obeys HoleOptions.Timeout and cancellation, and the woven budget checks reach every
/// shape of loop and recursion (issue 6). Timeouts here are short only so the tests are quick; nothing is timed.
/// </summary>
public class BudgetTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(2);

    private static AgentSession Session(TimeSpan? timeout = null, ScriptedChatClient? model = null) =>
        new(model ?? new ScriptedChatClient(), new HoleOptions { Timeout = timeout ?? TimeSpan.FromMilliseconds(400) });

    private static async Task<HoleBudgetExceededException> OverBudget<T>(AgentSession session, string code)
    {
        var result = await session.ExecuteAsync<T>(code).WaitAsync(Hang);
        Assert.Equal(HoleStatus.Faulted, result.Status);
        var budget = Assert.IsType<HoleBudgetExceededException>(result.Exception);
        Assert.Equal(HoleBudgetKind.WallTime, budget.Kind);
        return budget;
    }

    [Theory]
    [InlineData("while (true) { }")]
    [InlineData("var n = 0L; while (true) { n++; }")]
    [InlineData("again: goto again;")]
    // A conditional goto that never falls through: 'i++' would overflow after 2^31 rounds and end the loop, which
    // a machine busy enough to starve the budget's timer for a couple of seconds reaches (seen once in CI).
    [InlineData("var i = 0; top: i = (i + 1) & 1023; if (i >= 0) goto top; return i;")]
    [InlineData("Func<int, int> f = static x => { while (true) { x++; } }; return f(1);")]
    [InlineData("static int Spin(int x) { for (;;) { x++; } } return Spin(1);")]
    [InlineData("static int Spin(int x) => x > -1 ? Spin2(x) : 0; static int Spin2(int x) { while (x >= 0) x = (x + 1) & 1023; return x; } return Spin(1);")]
    [InlineData("IEnumerable<int> Forever() { while (true) yield return 1; } return Forever().Count();")]
    [InlineData("return (from a in Enumerable.Range(0, int.MaxValue) from b in Enumerable.Range(0, int.MaxValue) where a + b < 0 select a).Count();")]
    [InlineData("return Enumerable.Range(0, int.MaxValue).Aggregate(0, (s, x) => s ^ x);")]
    [InlineData("async Task<int> Spin() { var n = 0; while (true) { n++; await Task.Yield(); } } return await Spin();")]
    [InlineData("await foreach (var x in Numbers()) { } return 0; async IAsyncEnumerable<int> Numbers() { while (true) { await Task.Yield(); yield return 1; } }")]
    public async Task Every_shape_of_loop_stops_at_the_timeout(string code)
    {
        await using var session = Session();
        var budget = await OverBudget<int>(session, code);

        Assert.Contains("HoleOptions.Timeout", budget.Message, StringComparison.Ordinal);
        Assert.Empty(session.Variables);
    }

    [Fact]
    public async Task A_hole_stops_at_the_timeout_too_and_the_session_goes_on()
    {
        var model = new ScriptedChatClient().ReplyWithCode("var i = 0; loop: i++; goto loop;").ReplyWithCode("return 7;");
        await using var session = Session(model: model);
        using (session.Enter())
        {
            var error = await Assert.ThrowsAsync<HoleBudgetExceededException>(() => agent<int>("spin").WaitAsync(Hang));
            Assert.Equal(HoleBudgetKind.WallTime, error.Kind);
            Assert.Equal(7, await agent<int>("seven").WaitAsync(Hang));
        }
    }

    [Fact]
    public async Task A_fill_stuck_inside_a_framework_loop_still_returns_at_the_timeout()
    {
        // Distinct over a billion items never calls back into the fill: the thread keeps working until the
        // framework returns (the documented in-process limit), but the hole does not wait for it.
        await using var session = Session();
        await OverBudget<int>(session, "return Enumerable.Repeat(1, 1_000_000_000).Distinct().Count();");
    }

    [Theory]
    [InlineData("Func<int, int> f = null!; f = x => f(x + 1); return f(0);")]
    [InlineData("static int Down(int n) => Down(n + 1) + 1; return Down(0);")]
    [InlineData("Func<Func<int, int>, Func<int, int>> almost = self => x => self(x + 1); Func<int, int> fix = null!; fix = x => almost(fix)(x); return fix(0);")]
    [InlineData("var a = new List<int> { 3, 1, 2 }; int Cmp(int x, int y) { a.Sort(Cmp); return 0; } a.Sort(Cmp); return a[0];")]
    [InlineData("int Wrap(int n) { try { return Wrap(n + 1); } catch (Exception e) { throw new InvalidOperationException(\"level \" + n, e); } } return Wrap(0);")]
    public async Task Runaway_recursion_of_any_shape_stops_at_the_stack_budget(string code)
    {
        await using var session = Session(TimeSpan.FromMinutes(1));
        var result = await session.ExecuteAsync<int>(code).WaitAsync(Hang);

        // The thread is parked, not unwound (unwinding through catch-and-rethrow at every level overflows the real stack).
        var exceeded = Assert.IsType<HoleBudgetExceededException>(result.Exception);
        Assert.Equal(HoleBudgetKind.StackOverflow, exceeded.Kind);
        Assert.Contains("iterative", exceeded.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await session.ExecuteAsync<int>("return 1 + 2;")).Value);
    }

    [Fact]
    public async Task Deep_but_finite_recursion_runs_on_the_fill_threads_large_stack()
    {
        await using var session = Session(TimeSpan.FromMinutes(1));
        var result = await session.ExecuteAsync<int>("static int Depth(int n) => n == 0 ? 0 : 1 + Depth(n - 1); return Depth(100_000);").WaitAsync(Hang);

        Assert.True(result.IsAccepted, result.Exception?.ToString());
        Assert.Equal(100_000, result.Value);
    }

    [Theory]
    [InlineData("Span<byte> big = stackalloc byte[100_000_000]; return big.Length;")]
    [InlineData("var n = int.Parse(\"5000000\"); Span<int> big = stackalloc int[n]; return big.Length;")]
    public async Task A_large_stackalloc_is_refused_at_run_time(string code)
    {
        await using var session = Session(TimeSpan.FromMinutes(1));
        var result = await session.ExecuteAsync<int>(code).WaitAsync(Hang);

        var faulted = Assert.IsType<HoleFaultedException>(result.Exception);
        Assert.IsType<InsufficientExecutionStackException>(faulted.InnerException);
        Assert.Contains("stackalloc", faulted.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_small_stackalloc_of_any_size_expression_runs()
    {
        await using var session = Session(TimeSpan.FromMinutes(1));
        var result = await session.ExecuteAsync<int>("var n = int.Parse(\"16\"); Span<int> s = n <= 256 ? stackalloc int[n] : new int[n]; s.Fill(2); var t = 0; foreach (var x in s) t += x; return t;")
            .WaitAsync(Hang);

        Assert.True(result.IsAccepted, result.Exception?.ToString());
        Assert.Equal(32, result.Value);
    }

    [Fact]
    public async Task A_fault_inside_a_woven_loop_and_lambda_still_names_its_line()
    {
        await using var session = Session(TimeSpan.FromMinutes(1));
        var result = await session.ExecuteAsync<int>(
            "var t = 0;\nfor (var i = 0; i < 100; i++)\n{\n    t += new[] { i }.Select(x => x == 70 ? throw new InvalidOperationException(\"seventy\") : x).Sum();\n}\nreturn t;")
            .WaitAsync(Hang);

        var faulted = Assert.IsType<HoleFaultedException>(result.Exception);
        Assert.Equal(4, faulted.FillLine);
    }

    [Fact]
    public async Task Cancelling_ExecuteAsync_stops_a_running_fill()
    {
        await using var session = Session(TimeSpan.FromMinutes(5));
        using var cancellation = new CancellationTokenSource();
        var running = session.ExecuteAsync<int>("while (true) { }", cancellationToken: cancellation.Token);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(Hang));
    }

    [Fact]
    public async Task ExecuteAsync_without_a_timeout_runs_ordinary_code()
    {
        await using var session = new AgentSession(new ScriptedChatClient(), new HoleOptions { Timeout = null });
        var result = await session.ExecuteAsync<int>("var t = 0; for (var i = 0; i < 1000; i++) t += i; return t;").WaitAsync(Hang);

        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics) + result.Exception);
        Assert.Equal(499_500, result.Value);
    }

    [Fact]
    public async Task A_nested_hole_is_cancelled_with_its_parent()
    {
        var nestedStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var nestedCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var model = new ScriptedChatClient()
            .WhenTask("outer", _ => "return await agent<int>(\"inner\");")
            .WhenAsync(r => r.Task == "inner", async (_, token) =>
            {
                nestedStarted.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, token);
                }
                catch (OperationCanceledException)
                {
                    nestedCancelled.TrySetResult();
                    throw;
                }

                return "";
            });

        // No timeout in play: only the parent's cancellation can reach the nested hole.
        await using var session = Session(TimeSpan.FromMinutes(10), model);
        using var cancellation = new CancellationTokenSource();
        Task<int> outer;
        using (session.Enter())
        {
            outer = agent<int>("outer", cancellation.Token);
        }

        await nestedStarted.Task.WaitAsync(Hang);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => outer.WaitAsync(Hang));
        await nestedCancelled.Task.WaitAsync(Hang);
    }
}
