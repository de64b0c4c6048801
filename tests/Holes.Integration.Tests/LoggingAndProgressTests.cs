using System.Collections.Concurrent;
using Holes.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using static Holes.Agents;

namespace Holes.Integration.Tests;

/// <summary>The log events of a hole's lifecycle (ids, levels, fields) and the progress reports a person watches.</summary>
public sealed class LoggingAndProgressTests
{
    private static (AgentSession Session, CapturingLoggerProvider Logs, ConcurrentQueue<HoleProgress> Progress) Session(
        IChatClient model, Action<HoleOptions>? tweak = null)
    {
        var logs = new CapturingLoggerProvider();
        var progress = new ConcurrentQueue<HoleProgress>();
        var options = new HoleOptions { Progress = new Synchronous<HoleProgress>(progress.Enqueue) };
        tweak?.Invoke(options);
        var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        return (new AgentSession(model, options, loggerFactory), logs, progress);
    }

    [Fact]
    public async Task A_hole_logs_every_step_with_stable_event_ids_and_structured_fields()
    {
        var model = new ScriptedChatClient { ModelId = "m1", Usage = (_, _) => new UsageDetails { InputTokenCount = 300, OutputTokenCount = 20 } }
            .ReplyWithCode("return nope;").ReplyWithCode("var answer = 42; return answer;");
        var (session, logs, _) = Session(model);
        await using var _1 = session;
        AgentSession.Current = session;

        Assert.Equal(42, await agent<int>("the answer"));

        var events = logs.Events.Where(e => e.Category == HolesTelemetry.LogCategory).ToList();
        Assert.Equal(
            [
                (1, "HoleStarted"), (2, "ModelCalled"), (3, "ModelAnswered"), (5, "FillCompiled"), (6, "FillRejected"),
                (2, "ModelCalled"), (3, "ModelAnswered"), (5, "FillCompiled"), (7, "FillAccepted"), (9, "FillCommitted"), (10, "HoleFilled"),
            ],
            events.Select(e => (e.Id.Id, e.Id.Name!)));

        var started = events[0];
        Assert.Equal(LogLevel.Information, started.Level);
        Assert.Equal("the answer", started["Task"]);
        Assert.Equal(1, started["Depth"]);
        Assert.StartsWith("LoggingAndProgressTests.cs:", (string)started["Site"]!, StringComparison.Ordinal);
        var holeId = started["HoleId"];
        Assert.All(events, e => Assert.Equal(holeId, e["HoleId"]));

        var answered = events[2];
        Assert.Equal("m1", answered["Model"]);
        Assert.Equal("300", answered["InputTokens"]);
        var rejected = events[4];
        Assert.Equal(LogLevel.Information, rejected.Level);
        Assert.Equal("CS0103", rejected["DiagnosticIds"]);
        Assert.Equal("compile", rejected["Cause"]);
        Assert.Equal(1, rejected["Attempt"]);
        Assert.Equal(2, events[^1]["Attempt"]);
        Assert.Equal(1, events[^2]["Variables"]);
    }

    [Fact]
    public async Task Failures_are_logged_as_errors_naming_the_outcome_and_the_limit()
    {
        var model = new ScriptedChatClient { Latency = TimeSpan.FromSeconds(30) };
        var (session, logs, _) = Session(model, o => o.ModelTimeout = TimeSpan.FromMilliseconds(100));
        await using var _1 = session;
        AgentSession.Current = session;

        await Assert.ThrowsAsync<HoleTimeoutException>(() => agent<int>("the answer"));

        var timedOut = Assert.Single(logs.Events, e => e.Id.Id == 12);
        Assert.Equal("HoleTimedOut", timedOut.Id.Name);
        Assert.Equal(LogLevel.Error, timedOut.Level);
        Assert.Equal("HoleOptions.ModelTimeout", timedOut["Limit"]);
        Assert.Equal(100L, timedOut["LimitMs"]);
        Assert.IsType<HoleTimeoutException>(timedOut.Exception);
    }

    [Fact]
    public async Task A_transient_failure_is_logged_as_a_warning_with_the_retry_and_its_delay()
    {
        var model = new ScriptedChatClient()
            .ReplyWithException(new HttpRequestException("Service Unavailable", null, System.Net.HttpStatusCode.ServiceUnavailable))
            .ReplyWithCode("return 1;");
        var (session, logs, progress) = Session(model, o => o.ModelRetry.BaseDelay = TimeSpan.FromMilliseconds(5));
        await using var _1 = session;
        AgentSession.Current = session;

        Assert.Equal(1, await agent<int>("one"));

        var retrying = Assert.Single(logs.Events, e => e.Id.Id == 4);
        Assert.Equal(LogLevel.Warning, retrying.Level);
        Assert.Equal(1, retrying["Retry"]);
        Assert.Equal(3, retrying["MaxRetries"]);
        Assert.Contains("Service Unavailable", (string)retrying["Failure"]!, StringComparison.Ordinal);
        Assert.Contains(progress, p => p.Stage == HoleProgressStage.RetryingModel && p.RetryDelay is not null);
        Assert.Equal(1, session.Stats.ModelRetries);
        Assert.Equal(0, session.Stats.Retries);
    }

    [Fact]
    public async Task Progress_says_which_hole_waits_on_which_model_on_which_attempt()
    {
        var model = new ScriptedChatClient { ModelId = "m1" }
            .ReplyWithCode("return nope;")
            .ReplyWithCode("return await agent<int>(\"the inner answer\");")
            .ReplyWithCode("return 41;");
        var (session, _, progress) = Session(model);
        await using var _1 = session;
        AgentSession.Current = session;

        Assert.Equal(41, await agent<int>("the outer answer"));

        var reports = progress.ToList();
        var outer = reports.Where(p => p.Task == "the outer answer").ToList();
        Assert.Equal(
            [
                (HoleProgressStage.Started, 0), (HoleProgressStage.WaitingForModel, 1), (HoleProgressStage.Checking, 1), (HoleProgressStage.Rejected, 1),
                (HoleProgressStage.WaitingForModel, 2), (HoleProgressStage.Checking, 2), (HoleProgressStage.Running, 2), (HoleProgressStage.Filled, 2),
            ],
            outer.Select(p => (p.Stage, p.Attempt)));
        Assert.All(outer, p => Assert.Equal(4, p.MaxAttempts));
        Assert.Equal("m1", outer[1].Model);
        Assert.Equal("compile: CS0103", outer[3].Detail);
        Assert.Single(outer.Select(p => p.HoleId).Distinct());
        Assert.All(outer, p => Assert.Null(p.ParentId));

        var inner = reports.Where(p => p.Task == "the inner answer").ToList();
        Assert.All(inner, p => Assert.Equal(outer[0].HoleId, p.ParentId));
        Assert.All(inner, p => Assert.Equal(2, p.Depth));
        Assert.Equal(HoleProgressStage.Filled, inner[^1].Stage);

        // The inner hole ran while the outer one was running its second attempt.
        var runningAt = reports.FindIndex(p => p.Task == "the outer answer" && p.Stage == HoleProgressStage.Running);
        Assert.True(reports.FindIndex(p => p.Task == "the inner answer") > runningAt);
    }

    [Fact]
    public async Task A_progress_sink_that_throws_does_not_break_the_hole()
    {
        var logs = new CapturingLoggerProvider();
        var options = new HoleOptions { Progress = new Synchronous<HoleProgress>(_ => throw new InvalidOperationException("broken sink")) };
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs));
        await using var session = new AgentSession(new ScriptedChatClient().ReplyWithCode("return 1;"), options, loggerFactory);
        AgentSession.Current = session;

        Assert.Equal(1, await agent<int>("one"));
        Assert.Contains(logs.Events, e => e.Id.Id == 14 && e.Exception?.Message == "broken sink");
    }
}
