using Holes.Pipeline.Commit;
using Holes.Pipeline.Nesting;
using Holes.Runtime;
using Holes.Testing;
using static Holes.Agents;

namespace Holes.Tests.Hardening;

/// <summary>
/// The session is transactional: fills that write the same variable are serialised, so no update is lost; a fill that
/// fails commits nothing; a fill that has ended can no longer record anything for commit.
/// </summary>
public class TransactionTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Sixteen_concurrent_increments_leave_sixteen()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        session.SetVariable("counter", 0);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
            session.ExecuteAsync<int>("var before = counter; await Task.Yield(); counter = before + 1; return counter;")))).WaitAsync(Hang);

        Assert.All(results, r => Assert.True(r.IsAccepted, string.Join("\n", r.Diagnostics) + r.Exception));
        Assert.Equal(16, session.Variables.Single(v => v.Name == "counter").Value);
        Assert.Equal(Enumerable.Range(1, 16), results.Select(r => r.Value).Order());
    }

    [Fact]
    public async Task Fills_that_only_read_are_not_serialised_behind_a_writer()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        session.SetVariable("counter", 5);
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        // The writer holds the lock on 'counter' until the gate opens; a reader still runs meanwhile.
        var writer = session.ExecuteAsync<int>("counter = counter + await gate; return counter;", new HoleBindings().Add("gate", gate.Task));
        var reader = await session.ExecuteAsync<int>("return counter * 2;").WaitAsync(Hang);
        gate.SetResult(1);

        Assert.Equal(10, reader.Value);
        Assert.Equal(6, (await writer.WaitAsync(Hang)).Value);
    }

    [Fact]
    public async Task A_faulted_fill_commits_nothing()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        session.SetVariable("counter", 1);

        var result = await session.ExecuteAsync<int>("counter = 100; var extra = 2; if (counter > 0) throw new InvalidOperationException(\"no\"); return counter;").WaitAsync(Hang);

        Assert.Equal(HoleStatus.Faulted, result.Status);
        Assert.Equal(1, session.Variables.Single(v => v.Name == "counter").Value);
        Assert.DoesNotContain(session.Variables, v => v.Name == "extra");
    }

    [Fact]
    public async Task A_nested_hole_that_writes_its_parents_variable_does_not_deadlock()
    {
        var model = new ScriptedChatClient()
            .WhenTask("outer", _ => "total = total + 1; var inner = await agent<int>(\"inner\"); total = total + inner; return total;")
            .WhenTask("inner", _ => "total = 1000; return 10;");
        await using var session = new AgentSession(model);
        session.SetVariable("total", 0);
        using (session.Enter())
        {
            Assert.Equal(11, await agent<int>("outer").WaitAsync(Hang));
        }

        // The parent commits last: its value wins (documented in programming-model.md).
        Assert.Equal(11, session.Variables.Single(v => v.Name == "total").Value);
    }

    [Fact]
    public async Task Sibling_nested_holes_that_write_the_same_variable_are_serialised()
    {
        var model = new ScriptedChatClient()
            .WhenTask("outer", _ => "var parts = await Task.WhenAll(agent<int>(\"add\"), agent<int>(\"add\"), agent<int>(\"add\")); return parts.Length;")
            .WhenTask("add", _ => "var before = hits; await Task.Delay(5); hits = before + 1; return hits;");
        await using var session = new AgentSession(model);
        session.SetVariable("hits", 0);
        using (session.Enter())
        {
            Assert.Equal(3, await agent<int>("outer").WaitAsync(Hang));
        }

        Assert.Equal(3, session.Variables.Single(v => v.Name == "hits").Value);
    }

    [Fact]
    public async Task Locks_are_taken_all_at_once_and_returned_to_the_ancestor()
    {
        await using var session = new AgentSession(new ScriptedChatClient());
        var locks = new VariableLocks();
        var site = Holes.Pipeline.Nesting.RuntimeSites.Describe(typeof(int), []);
        var parent = new HoleContext(session, site, "parent", [], null);
        var child = new HoleContext(session, site, "child", [], parent);
        var sibling = new HoleContext(session, site, "sibling", [], parent);
        var stranger = new HoleContext(session, site, "stranger", [], null);

        using var parentLease = await locks.AcquireAsync(["a", "b"], parent, CancellationToken.None);
        var childLease = await locks.AcquireAsync(["a"], child, CancellationToken.None).WaitAsync(Hang);
        var siblingWaits = locks.AcquireAsync(["a"], sibling, CancellationToken.None);
        var strangerWaits = locks.AcquireAsync(["b"], stranger, CancellationToken.None);
        Assert.False(siblingWaits.IsCompleted);
        Assert.False(strangerWaits.IsCompleted);

        childLease.Dispose();
        using var siblingLease = await siblingWaits.WaitAsync(Hang);
        Assert.False(strangerWaits.IsCompleted);

        using var cancelled = new CancellationTokenSource();
        var gaveUp = locks.AcquireAsync(["a"], stranger, cancelled.Token);
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp.WaitAsync(Hang));
    }

    [Fact]
    public void An_ended_frame_records_nothing_more()
    {
        var fill = new Holes.Pipeline.Compile.CompiledFill([], new Dictionary<string, string> { ["late"] = "int" }, new HashSet<int> { 0 }, [], null!);
        var frame = new FillFrame([], [1], fill, null);
        frame.Assign(0, 2);
        frame.End();
        frame.Assign(0, 3);
        frame.Declare("late", 4);

        var assigned = Assert.Single(frame.Assigned([new Holes.Pipeline.Compile.VariableSlot("counter", "int")]));
        Assert.Equal(2, assigned.Value);
        Assert.Empty(frame.Declared());
    }
}
