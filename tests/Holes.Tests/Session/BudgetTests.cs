using System.Collections.Concurrent;
using Holes.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using static Holes.Agents;

namespace Holes.Tests.Session;

/// <summary>
/// Budgets across a tree of holes: tokens and nested holes, per hole (its subtree) and per session. They are checked
/// before every model call; the hole that ran out throws <see cref="HoleBudgetExceededException"/>, commits nothing,
/// and the session carries on.
/// </summary>
public sealed class BudgetTests
{
    private const string Each = "summarise each of docs";
    private const string One = "summarise doc";

    private static readonly List<string> s_docs = ["alpha", "beta", "gamma"];

    /// <summary>A model whose every reply reports 100 input and 5 output tokens.</summary>
    private static ScriptedChatClient Model(string? eachFill = null)
    {
        var model = new ScriptedChatClient { Usage = (_, _) => new UsageDetails { InputTokenCount = 100, OutputTokenCount = 5 } };
        model.WhenTask(Each, _ => eachFill ?? "var done = new List<string>(); foreach (var doc in docs) { done.Add(await agent<string>(\"summarise doc\", doc)); } return done;");
        model.WhenTask(One, _ => "return doc.ToUpperInvariant();");
        return model;
    }

    /// <summary>A session with one variable, <c>before</c>; the test enters it (an async helper's Enter would not flow back).</summary>
    private static async Task<AgentSession> SessionAsync(ScriptedChatClient model, HoleOptions options)
    {
        var session = new AgentSession(model, options);
        await session.ExecuteAsync<int>("var before = 1; return 0;");
        return session;
    }

    [Fact]
    public async Task A_hole_that_spends_its_input_tokens_over_its_attempts_is_stopped_before_the_next_call()
    {
        var progress = new ConcurrentQueue<HoleProgress>();
        var model = Model().ReplyWithCode("return nope;").ReplyWithCode("return nope;").ReplyWithCode("return 1;");
        await using var session = await SessionAsync(model, new HoleOptions
        {
            Budget = new HoleBudget { MaxInputTokens = 150 },
            Progress = new SynchronousProgress(progress.Enqueue),
        });
        using var entered = session.Enter();

        var error = await Assert.ThrowsAsync<HoleBudgetExceededException>(() => agent<int>("one"));

        Assert.Equal("HoleOptions.Budget.MaxInputTokens", error.Budget);
        Assert.StartsWith("BudgetTests.cs:", error.Location, StringComparison.Ordinal);
        Assert.Equal("one", error.Task);
        Assert.Contains($"The hole at {error.Location} (\"one\") was stopped before its model call: it has used 200 input tokens over its attempts " +
            "and the holes below it, and HoleOptions.Budget.MaxInputTokens = 150 for each hole. Nothing was committed by it.", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, model.Requests.Count);
        Assert.Contains(progress, p => p.Stage == HoleProgressStage.Failed && p.Detail?.StartsWith("budget_exceeded", StringComparison.Ordinal) == true);

        // The next hole has a budget of its own, and the session is as it was.
        Assert.Equal(1, await agent<int>("two"));
        Assert.Equal(["before"], session.Variables.Select(v => v.Name));
    }

    [Fact]
    public async Task A_hole_covers_the_holes_below_it_and_the_one_that_ran_out_commits_nothing()
    {
        var model = Model();
        await using var session = await SessionAsync(model, new HoleOptions { Budget = new HoleBudget { MaxInputTokens = 250 } });
        using var entered = session.Enter();

        var docs = s_docs;
        var error = await Assert.ThrowsAsync<HoleBudgetExceededException>(() => agent<List<string>>(Each, docs));

        // The outer hole's call and two nested ones used 300 tokens: the third nested hole is stopped.
        Assert.Equal("HoleOptions.Budget.MaxInputTokens", error.Budget);
        Assert.Equal(One, error.Task);
        Assert.EndsWith(">fill.cs:1", error.Location, StringComparison.Ordinal);
        Assert.Contains($"(\"{Each}\") and the holes below it have used 300 input tokens, and HoleOptions.Budget.MaxInputTokens = 250 for each hole. " +
            "Nothing was committed by that hole.", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, model.Requests.Count(r => r.Task == One));
        Assert.Equal(["before"], session.Variables.Select(v => v.Name));   // the outer fill's `done` was not committed
        Assert.Equal(3, await session.ExecuteAsync<int>("return before + 2;").ContinueWith(t => t.Result.Value));
    }

    [Fact]
    public async Task A_fill_that_catches_the_budget_error_and_returns_still_commits_nothing()
    {
        var model = Model(
            "var done = new List<string>(); " +
            "foreach (var doc in docs) { try { done.Add(await agent<string>(\"summarise doc\", doc)); } catch (HoleBudgetExceededException) { break; } } " +
            "var caught = done.Count; return done;");
        await using var session = await SessionAsync(model, new HoleOptions { Budget = new HoleBudget { MaxOutputTokens = 15 } });
        using var entered = session.Enter();

        var docs = s_docs;
        var error = await Assert.ThrowsAsync<HoleBudgetExceededException>(() => agent<List<string>>(Each, docs));

        Assert.Equal("HoleOptions.Budget.MaxOutputTokens", error.Budget);
        Assert.DoesNotContain(session.Variables, v => v.Name is "caught" or "done");
    }

    [Fact]
    public async Task MaxNestedHoles_stops_the_hole_past_it_before_any_model_call()
    {
        var model = Model();
        await using var session = await SessionAsync(model, new HoleOptions { Budget = new HoleBudget { MaxNestedHoles = 2 } });
        using var entered = session.Enter();

        var docs = s_docs;
        var error = await Assert.ThrowsAsync<HoleBudgetExceededException>(() => agent<List<string>>(Each, docs));

        Assert.Equal("HoleOptions.Budget.MaxNestedHoles", error.Budget);
        Assert.Contains("was not started: it would be nested hole number 3 below the hole at", error.Message, StringComparison.Ordinal);
        Assert.Contains("Raise HoleOptions.Budget.MaxNestedHoles, or check the fills for runaway recursion.", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, model.Requests.Count(r => r.Task == One));

        // Two docs fit.
        docs = ["alpha", "beta"];
        Assert.Equal(["ALPHA", "BETA"], await agent<List<string>>(Each, docs));
    }

    [Fact]
    public async Task The_session_budget_covers_every_hole_and_leaves_the_session_usable_without_a_model()
    {
        var model = Model().ReplyWithCode("return 1;").ReplyWithCode("return 2;").ReplyWithCode("return 3;");
        await using var session = await SessionAsync(model, new HoleOptions { SessionBudget = new HoleBudget { MaxOutputTokens = 10 } });
        using var entered = session.Enter();

        Assert.Equal(1, await agent<int>("first"));
        Assert.Equal(2, await agent<int>("second"));
        var error = await Assert.ThrowsAsync<HoleBudgetExceededException>(() => agent<int>("third"));

        Assert.Equal("HoleOptions.SessionBudget.MaxOutputTokens", error.Budget);
        Assert.Equal("third", error.Task);
        Assert.Contains("this session has used 10 output tokens, and HoleOptions.SessionBudget.MaxOutputTokens = 10", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, model.Requests.Count);
        Assert.Equal(3, (await session.ExecuteAsync<int>("return before + 2;")).Value);
        Assert.Equal(10, session.Stats.OutputTokens);
    }

    [Fact]
    public async Task The_session_counts_nested_holes_across_its_holes()
    {
        var model = Model();
        await using var session = await SessionAsync(model, new HoleOptions { SessionBudget = new HoleBudget { MaxNestedHoles = 4 } });
        using var entered = session.Enter();

        var docs = s_docs;
        Assert.Equal(3, (await agent<List<string>>(Each, docs)).Count);
        var error = await Assert.ThrowsAsync<HoleBudgetExceededException>(() => agent<List<string>>(Each, docs));

        Assert.Equal("HoleOptions.SessionBudget.MaxNestedHoles", error.Budget);
        Assert.Contains("it would be nested hole number 5 of this session", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_usage_counts_nothing_and_is_logged_once()
    {
        var model = new ScriptedChatClient().ReplyWithCode("return 1;").ReplyWithCode("return 2;");
        var logs = new ListLogger();
        await using var session = new AgentSession(model, new HoleOptions { Budget = new HoleBudget { MaxInputTokens = 1 } }, new ListLoggerFactory(logs));
        using var entered = session.Enter();

        Assert.Equal(1, await agent<int>("first"));
        Assert.Equal(2, await agent<int>("second"));

        var warning = Assert.Single(logs.Events, e => e.Id.Name == "BudgetUsageUnknown");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("reported no token usage; under a token budget it counts nothing", warning.Message, StringComparison.Ordinal);
        Assert.Null(session.Stats.InputTokens);
    }

    [Fact]
    public void Budgets_are_validated_when_the_session_is_created()
    {
        var model = new ScriptedChatClient();
        var perHole = Assert.Throws<ArgumentOutOfRangeException>(() => new AgentSession(model, new HoleOptions { Budget = new HoleBudget { MaxInputTokens = -1 } }));
        Assert.Contains("HoleOptions.Budget.MaxInputTokens must be 0 or more", perHole.Message, StringComparison.Ordinal);
        var session = Assert.Throws<ArgumentOutOfRangeException>(() => new AgentSession(model, new HoleOptions { SessionBudget = new HoleBudget { MaxNestedHoles = -2 } }));
        Assert.Contains("HoleOptions.SessionBudget.MaxNestedHoles", session.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_exception_names_its_budget()
    {
        var inner = new InvalidOperationException("why");
        var error = new HoleBudgetExceededException("Program.cs:3", "the task", "HoleOptions.Budget.MaxNestedHoles", "message", inner);

        Assert.Equal("HoleOptions.Budget.MaxNestedHoles", error.Budget);
        Assert.Equal("Program.cs:3", error.Location);
        Assert.Equal("the task", error.Task);
        Assert.Same(inner, error.InnerException);
        Assert.IsAssignableFrom<HoleException>(error);
    }

    private sealed class SynchronousProgress(Action<HoleProgress> report) : IProgress<HoleProgress>
    {
        public void Report(HoleProgress value) => report(value);
    }

    private sealed record LogEntry(LogLevel Level, EventId Id, string Message);

    private sealed class ListLogger : ILogger
    {
        private readonly ConcurrentQueue<LogEntry> _events = new();

        public IReadOnlyList<LogEntry> Events => [.. _events];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _events.Enqueue(new LogEntry(logLevel, eventId, formatter(state, exception)));
    }

    private sealed class ListLoggerFactory(ListLogger logger) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }
}
