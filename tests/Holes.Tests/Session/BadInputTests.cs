using Holes.Testing;
using static Holes.Agents;

namespace Holes.Tests.Session;

/// <summary>Every bad input gets a clear error naming the hole site, and leaves the session as it was.</summary>
public class BadInputTests
{
    // Not async: AgentSession.Current is an AsyncLocal, and a value set inside an async method does not flow
    // back to its caller. The seeding runs synchronously for the same reason.
    private static AgentSession SessionWithVariable(ScriptedChatClient model, HoleOptions? options = null)
    {
        // Seeded directly, not by a fill: a fill would run under the test's own (deliberately tiny) timeout.
        var session = new AgentSession(model, options);
        session.SetVariable("kept", 7);
        AgentSession.Current = session;
        return session;
    }

    private static async Task AssertIntact(AgentSession session)
    {
        Assert.Equal(["kept"], session.Variables.Select(v => v.Name));
        Assert.Equal(7, session.Variables[0].Value);
        var after = await session.ExecuteAsync<int>("return kept + 1;");
        Assert.Equal(8, after.Value);
    }

    [Fact]
    public async Task No_session_says_how_to_create_one()
    {
        AgentSession.Current = null;
        var error = await Assert.ThrowsAsync<HoleSessionMissingException>(() => agent<int>("the answer"));
        Assert.Contains("BadInputTests.cs:", error.Message, StringComparison.Ordinal);
        Assert.Contains("AgentSession.Current = session", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prose_with_no_code_is_rejected_with_its_own_diagnostic()
    {
        var model = new ScriptedChatClient()
            .ReplyWithText("The answer is forty-two.").ReplyWithText("I think it is 42.")
            .ReplyWithText("Forty two!").ReplyWithText("42");
        await using var session = SessionWithVariable(model);

        var error = await Assert.ThrowsAsync<HoleNoCodeException>(() => agent<int>("the answer"));

        Assert.Equal(4, error.Attempts.Count);
        Assert.All(error.Attempts, a => Assert.Equal("HOLE0001", Assert.Single(a.Diagnostics).Id));
        Assert.Contains("BadInputTests.cs:", error.Location, StringComparison.Ordinal);
        Assert.Contains("contained no code", model.Requests[1].LastMessage, StringComparison.Ordinal);
        Assert.Equal(4, session.Stats.RejectionsByCause[RejectionCause.NoCode]);
        await AssertIntact(session);
    }

    [Fact]
    public async Task Prose_then_a_fenced_block_is_accepted()
    {
        var model = new ScriptedChatClient().ReplyWithText("Let me think.").ReplyWithText(FillReplies.Fenced("return 42;"));
        await using var session = SessionWithVariable(model);
        Assert.Equal(42, await agent<int>("the answer"));
    }

    [Fact]
    public async Task Model_that_throws_is_reported_with_the_site()
    {
        var model = new ScriptedChatClient().ReplyWithException(new HttpRequestException("401 Unauthorized"));
        await using var session = SessionWithVariable(model);

        var error = await Assert.ThrowsAsync<HoleModelException>(() => agent<int>("the answer"));

        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Contains("401 Unauthorized", error.Message, StringComparison.Ordinal);
        Assert.Contains("BadInputTests.cs:", error.Message, StringComparison.Ordinal);
        await AssertIntact(session);
    }

    [Fact]
    public async Task Model_that_is_too_slow_times_out()
    {
        var model = new ScriptedChatClient { Latency = TimeSpan.FromSeconds(30) }.ReplyWithCode("return 1;");
        await using var session = SessionWithVariable(model, new HoleOptions { Timeout = TimeSpan.FromSeconds(1) });

        var error = await Assert.ThrowsAsync<HoleTimeoutException>(() => agent<int>("the answer"));

        Assert.Equal("waiting for the model", error.Stage);
        Assert.Contains("HoleOptions.Timeout", error.Message, StringComparison.Ordinal);
        await AssertIntact(session);
    }

    [Fact]
    public async Task Fill_that_loops_forever_times_out_at_its_budget_check()
    {
        var model = new ScriptedChatClient().ReplyWithCode("var spins = 0L; while (true) { spins++; }");
        await using var session = SessionWithVariable(model, new HoleOptions { Timeout = TimeSpan.FromSeconds(1) });

        var error = await Assert.ThrowsAsync<HoleBudgetExceededException>(() => agent<int>("count forever"));

        // As in the isolated worker: a fill that runs out of wall time is over its budget (HoleTimeoutException is for the model and the compiler).
        Assert.Equal(HoleBudgetKind.WallTime, error.Kind);
        Assert.Contains("HoleOptions.Timeout", error.Message, StringComparison.Ordinal);
        await AssertIntact(session);
    }

    [Fact]
    public async Task Runaway_recursion_in_a_fill_becomes_an_exception_not_a_crash()
    {
        var model = new ScriptedChatClient().ReplyWithCode("int Down(int n) => Down(n + 1); return Down(0);");
        await using var session = SessionWithVariable(model);

        var error = await Assert.ThrowsAsync<HoleBudgetExceededException>(() => agent<int>("recurse"));

        Assert.Equal(HoleBudgetKind.StackOverflow, error.Kind);
        Assert.Contains("BadInputTests.cs:", error.Message, StringComparison.Ordinal);
        await AssertIntact(session);
    }

    [Fact]
    public async Task Nested_holes_at_the_depth_limit_are_rejected_before_running()
    {
        var model = new ScriptedChatClient();
        model.When(r => r.Task == "outer", _ => FillReplies.Code("return await agent<int>(\"inner\") + 1;"));
        model.When(r => r.Task == "inner", _ => FillReplies.Code("return await agent<int>(\"innermost\") + 1;"));
        await using var session = SessionWithVariable(model, new HoleOptions { MaxDepth = 2, MaxAttempts = 2 });

        var error = await Assert.ThrowsAsync<HoleRejectedException>(() => agent<int>("outer"));

        Assert.Equal("inner", error.Task);
        Assert.Contains(error.Attempts[^1].Diagnostics, d => d.Id == "HOLE0005");
        Assert.Contains("This is the deepest level", model.Requests.First(r => r.Task == "inner").Prompt, StringComparison.Ordinal);
        await AssertIntact(session);
    }

    [Fact]
    public async Task Holes_reached_past_the_depth_limit_throw()
    {
        // A method group escapes the syntactic check, so the run-time limit is what stops it.
        var model = new ScriptedChatClient();
        model.When(r => r.Task == "recurse", _ => FillReplies.Code("Func<string, object?[], Task<int>> again = agent<int>; return await again(\"recurse\", []) + 1;"));
        await using var session = SessionWithVariable(model, new HoleOptions { MaxDepth = 3 });

        var error = await Assert.ThrowsAsync<HoleDepthExceededException>(() => agent<int>("recurse"));

        Assert.Equal(3, error.MaxDepth);
        Assert.Contains("\"recurse\" > \"recurse\" > \"recurse\" > \"recurse\"", error.Message, StringComparison.Ordinal);
        await AssertIntact(session);
    }

    [Fact]
    public async Task Fill_that_throws_names_the_line_and_commits_nothing()
    {
        var model = new ScriptedChatClient().ReplyWithCode("var partial = 1;\nkept = 100;\nthrow new InvalidOperationException(\"no data\");");
        await using var session = SessionWithVariable(model);

        var error = await Assert.ThrowsAsync<HoleFaultedException>(() => agent<int>("fail on purpose"));

        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal(3, error.FillLine);
        Assert.Contains("line 3 of the fill", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, session.Stats.Faulted);
        await AssertIntact(session);
    }

    [Fact]
    public async Task Fill_that_declares_a_variable_then_fails_commits_nothing()
    {
        await using var session = SessionWithVariable(new ScriptedChatClient());

        var result = await session.ExecuteAsync<int>("var leaked = 5;\nkept = 99;\nif (leaked > 0) throw new InvalidOperationException(\"boom\");\nreturn leaked;");

        Assert.Equal(HoleStatus.Faulted, result.Status);
        var faulted = Assert.IsType<HoleFaultedException>(result.Exception);
        Assert.Equal(3, faulted.FillLine);
        await AssertIntact(session);
    }

    [Theory]
    [InlineData("kept = \"seven\";\nvar n = await agent<int>(\"count\", missing);\nvar (a, b) = n;\nreturn a;", "CS0029")]
    [InlineData("var total = 0;\nforeach (var x in kept) total += x;\nkept += total;\nreturn total.Lenght;", "CS1579")]
    [InlineData("int Twice(int v) => v * 2;\nkept = Twice(\"2\");\nvar unused = agent<string>();\nreturn kept;", "CS1503")]
    public async Task Broken_code_that_also_writes_variables_and_nests_holes_is_rejected_cleanly(string code, string id)
    {
        await using var session = SessionWithVariable(new ScriptedChatClient());

        var result = await session.ExecuteAsync<int>(code);

        Assert.Equal(HoleStatus.Rejected, result.Status);
        Assert.Contains(result.Diagnostics, d => d.Id == id && d.Line >= 1);
        await AssertIntact(session);
    }

    [Fact]
    public async Task Fill_that_awaits_then_throws_names_the_line_and_commits_nothing()
    {
        await using var session = SessionWithVariable(new ScriptedChatClient());

        var result = await session.ExecuteAsync<int>("var leaked = 5;\nawait Task.Yield();\nkept = 99;\nthrow new InvalidOperationException(\"boom\");");

        Assert.Equal(HoleStatus.Faulted, result.Status);
        var faulted = Assert.IsType<HoleFaultedException>(result.Exception);
        Assert.Equal(4, faulted.FillLine);
        await AssertIntact(session);
    }

    [Fact]
    public async Task Runtime_exceptions_can_be_sent_back_to_the_model()
    {
        var model = new ScriptedChatClient()
            .ReplyWithCode("var xs = new List<int>();\nreturn xs.First();")
            .ReplyWithCode("var xs = new List<int>();\nreturn xs.FirstOrDefault();");
        await using var session = SessionWithVariable(model, new HoleOptions { RetryOnRuntimeException = true });

        Assert.Equal(0, await agent<int>("the first element"));
        Assert.Contains("threw InvalidOperationException at line 2", model.Requests[1].LastMessage, StringComparison.Ordinal);
        Assert.Equal(1, session.Stats.RejectionsByCause[RejectionCause.RuntimeException]);
    }

    [Fact]
    public async Task Cancellation_during_the_model_call_propagates_and_changes_nothing()
    {
        var model = new ScriptedChatClient { Latency = TimeSpan.FromSeconds(30) }.ReplyWithCode("return 1;");
        await using var session = SessionWithVariable(model);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => agent<int>("the answer", cts.Token));
        await AssertIntact(session);
    }

    [Fact]
    public async Task Cancellation_stops_a_running_fill()
    {
        await using var session = SessionWithVariable(new ScriptedChatClient());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.ExecuteAsync<int>("var n = 0; for (;;) { n++; }", cancellationToken: cts.Token));
        await AssertIntact(session);
    }

    [Fact]
    public async Task Model_can_give_up_explicitly()
    {
        var model = new ScriptedChatClient().ReplyWithGiveUp("I was not given the order history.");
        await using var session = SessionWithVariable(model);

        var error = await Assert.ThrowsAsync<HoleAbandonedException>(() => agent<decimal>("the customer's lifetime spend"));

        Assert.Equal("I was not given the order history.", error.Reason);
        await AssertIntact(session);
    }

    [Fact]
    public async Task Every_rejected_attempt_is_kept_in_the_exception()
    {
        var model = new ScriptedChatClient().ReplyWithCode("return nope;").ReplyWithCode("return \"no\";");
        await using var session = SessionWithVariable(model, new HoleOptions { MaxAttempts = 2 });

        var error = await Assert.ThrowsAsync<HoleRejectedException>(() => agent<int>("the answer"));

        Assert.Equal(["return nope;", "return \"no\";"], error.Attempts.Select(a => a.Code));
        Assert.Equal("CS0103", error.Attempts[0].Diagnostics.Single().Id);
        Assert.Equal("CS0029", error.Attempts[1].Diagnostics.Single().Id);
        Assert.Contains("rejected 2 time(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("BadInputTests.cs:", error.Message, StringComparison.Ordinal);
        await AssertIntact(session);
    }

    [Fact]
    public async Task Empty_task_and_bad_options_are_refused_up_front()
    {
        await using var session = SessionWithVariable(new ScriptedChatClient());
        var error = await Assert.ThrowsAsync<ArgumentException>(() => agent<int>("  "));
        Assert.Contains("empty task", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentSession(new ScriptedChatClient(), new HoleOptions { MaxAttempts = 0 }));
        Assert.Throws<ArgumentNullException>(() => new AgentSession(null!));
        await AssertIntact(session);
    }

    [Fact]
    public async Task Disposed_session_refuses_new_work()
    {
        var session = new AgentSession(new ScriptedChatClient());
        await session.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => session.ExecuteAsync<int>("return 1;"));
    }
}
