using Holes.Testing;

namespace Holes.Tests.Hardening;

/// <summary>
/// Nothing a fill starts outlives it: work it leaves running stops at its next budget check once the hole has ended;
/// functions and lazy sequences it hands out run under a budget when called later, or are refused.
/// </summary>
public class LeftoverWorkTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(2);

    private static AgentSession Session(TimeSpan? timeout = null) =>
        new(new ScriptedChatClient(), new HoleOptions { Timeout = timeout ?? TimeSpan.FromMinutes(1) });

    [Fact]
    public async Task A_task_the_fill_left_running_stops_once_the_hole_has_ended()
    {
        await using var session = Session();
        var result = await session.ExecuteAsync<int>(
            "var ticks = new List<int>(); var loop = Spin(); return 1; async Task Spin() { while (true) { ticks.Add(1); await Task.Delay(1); } }").WaitAsync(Hang);
        Assert.True(result.IsAccepted, string.Join("\n", result.Diagnostics) + result.Exception);

        // The leftover loop was committed as the session variable 'loop': it ends at its next check, cancelled.
        var loop = Assert.IsType<Task>(session.Variables.Single(v => v.Name == "loop").Value, exactMatch: false);
        var stopped = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitAsync(Hang));
        Assert.Contains("has ended", stopped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Work_the_fill_awaited_is_not_affected()
    {
        await using var session = Session();
        var result = await session.ExecuteAsync<int>("var parts = await Task.WhenAll(Part(1), Part(2)); return parts.Sum(); async Task<int> Part(int n) { await Task.Delay(5); return n; }")
            .WaitAsync(Hang);

        Assert.Equal(3, result.Value);
    }

    [Fact]
    public async Task A_returned_function_runs_under_a_budget_of_its_own_when_called_later()
    {
        await using var session = Session(TimeSpan.FromMilliseconds(300));
        var made = await session.ExecuteAsync<Func<int, int>>("return x => { if (x < 0) { while (true) { } } return x * 2; };").WaitAsync(Hang);
        var twice = made.GetValueOrThrow();

        Assert.Equal(8, twice(4));
        var stopped = Assert.ThrowsAny<OperationCanceledException>(() => twice(-1));
        Assert.Contains("time budget", stopped.Message, StringComparison.Ordinal);
        Assert.Equal(10, twice(5));
    }

    [Fact]
    public async Task A_returned_async_function_works()
    {
        await using var session = Session();
        var made = await session.ExecuteAsync<Func<int, Task<int>>>("return async x => { await Task.Yield(); return x + 1; };").WaitAsync(Hang);

        Assert.Equal(3, await made.GetValueOrThrow()(2).WaitAsync(Hang));
    }

    [Fact]
    public async Task A_returned_lazy_sequence_is_budgeted_step_by_step()
    {
        await using var session = Session(TimeSpan.FromMilliseconds(300));
        var made = await session.ExecuteAsync<IEnumerable<int>>("IEnumerable<int> Ones() { while (true) { yield return 1; } } return Ones().Select(x => x + 1);").WaitAsync(Hang);
        var twos = made.GetValueOrThrow();

        Assert.Equal([2, 2, 2], twos.Take(3));
        Assert.ThrowsAny<OperationCanceledException>(() => twos.Count());
    }

    [Fact]
    public async Task A_function_kept_in_a_session_variable_runs_in_a_later_fill_and_from_the_program()
    {
        await using var session = Session();
        Assert.True((await session.ExecuteAsync<int>("Func<int, int> square = x => x * x; return 0;").WaitAsync(Hang)).IsAccepted);

        Assert.Equal(49, (await session.ExecuteAsync<int>("return square(7);").WaitAsync(Hang)).Value);
        var square = Assert.IsType<Func<int, int>>(session.Variables.Single(v => v.Name == "square").Value);
        Assert.Equal(9, square(3));
    }

    [Fact]
    public async Task A_function_buried_in_other_data_is_refused_when_the_program_calls_it_outside_any_hole()
    {
        await using var session = Session();
        var made = await session.ExecuteAsync<List<Func<int>>>("return [() => 1];").WaitAsync(Hang);
        var buried = Assert.Single(made.GetValueOrThrow());

        var refused = Assert.Throws<InvalidOperationException>(() => buried());
        Assert.Contains("outside any hole", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_faulted_fill_leaves_nothing_running_that_can_commit()
    {
        await using var session = Session();
        var result = await session.ExecuteAsync<int>("var n = 5; throw new InvalidOperationException(\"no\");").WaitAsync(Hang);

        Assert.Equal(HoleStatus.Faulted, result.Status);
        Assert.Empty(session.Variables);
    }
}
