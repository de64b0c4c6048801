using System.Diagnostics;
using Holes.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static Holes.Agents;

namespace Holes.Integration.Tests;

/// <summary>
/// The spans and metrics of a nested, parallel workflow, read back through OpenTelemetry's in-memory exporter: a
/// top-level hole whose first attempt is rejected and whose second fans out to three parallel sub-holes, with the
/// chat client wrapped in Microsoft.Extensions.AI's <c>UseOpenTelemetry()</c>.
/// </summary>
[Collection(ProcessWide.Name)]
public sealed class TelemetryTests
{
    private const string MeaiSource = "Holes.Tests.MEAI";
    private const string RootSource = "Holes.Tests.Root";
    private const string Model = "scripted-model";
    private const string Topics = "one line about each of topics, in parallel";
    private const string Topic = "one line about topic";

    private static readonly ActivitySource s_root = new(RootSource);

    /// <summary>The workflow: its model waits until all three sub-holes are in flight, so they really run in parallel.</summary>
    private static async Task<(string[] Lines, HoleStats Stats)> RunWorkflowAsync()
    {
        var inFlight = 0;
        var allThree = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var model = new ScriptedChatClient
        {
            ModelId = Model,
            Usage = (_, _) => new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 },
        };
        model.When(r => r.Task == Topics && r.Attempt == 1, _ => FillReplies.Code("return lines;"));   // CS0103: no such name
        model.When(r => r.Task == Topics && r.Attempt == 2,
            _ => FillReplies.Code("return await Task.WhenAll(topics.Select(topic => agent<string>(\"one line about topic\", topic)));"));
        model.WhenAsync(r => r.Task == Topic, async (_, cancellationToken) =>
        {
            if (Interlocked.Increment(ref inFlight) == 3)
            {
                allThree.SetResult();
            }

            await allThree.Task.WaitAsync(cancellationToken);
            return FillReplies.Code("return topic + \": one line\";");
        });

        var client = new ChatClientBuilder(model).UseOpenTelemetry(sourceName: MeaiSource).Build();
        await using var session = new AgentSession(client);
        AgentSession.Current = session;
        var topics = new[] { "Roslyn", "LINQ", "Span<T>" };
        var lines = await agent<string[]>(Topics, topics);
        return (lines, session.Stats);
    }

    [Fact]
    public async Task Nested_holes_are_child_spans_of_their_attempt_and_parallel_ones_are_siblings()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(RootSource, HolesTelemetry.ActivitySourceName, MeaiSource)
            .AddInMemoryExporter(spans)
            .Build();

        ActivityTraceId traceId;
        string[] lines;
        using (var root = s_root.StartActivity("workflow")!)
        {
            traceId = root.TraceId;
            (lines, _) = await RunWorkflowAsync();
        }

        Assert.Equal(["Roslyn: one line", "LINQ: one line", "Span<T>: one line"], lines);
        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        var root_ = Assert.Single(trace, s => s.Source.Name == RootSource);
        Activity[] ChildrenOf(Activity parent, string source = HolesTelemetry.ActivitySourceName) =>
            [.. trace.Where(s => s.ParentSpanId == parent.SpanId && s.Source.Name == source).OrderBy(s => s.StartTimeUtc)];

        // hole (depth 1) → attempt 1 (rejected), attempt 2 (accepted) → three sibling holes (depth 2) → one attempt each.
        var top = Assert.Single(ChildrenOf(root_));
        Assert.StartsWith("hole TelemetryTests.cs:", top.DisplayName, StringComparison.Ordinal);
        Assert.Equal("invoke_agent", top.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(Model, top.GetTagItem("gen_ai.request.model"));
        Assert.Equal(nameof(ScriptedChatClient), top.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(1, top.GetTagItem("holes.depth"));
        Assert.Equal(Topics, top.GetTagItem("holes.task"));
        Assert.Equal("filled", top.GetTagItem("holes.outcome"));
        Assert.Equal(2, top.GetTagItem("holes.attempts"));
        Assert.Equal(200L, top.GetTagItem("gen_ai.usage.input_tokens"));   // its own two calls; the sub-holes report theirs
        Assert.Equal(20L, top.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(top.GetTagItem("holes.site"), top.DisplayName["hole ".Length..]);

        var attempts = ChildrenOf(top);
        Assert.Equal(["attempt 1", "attempt 2"], attempts.Select(a => a.DisplayName));
        Assert.Equal("rejected", attempts[0].GetTagItem("holes.outcome"));
        Assert.Equal(new[] { "CS0103" }, attempts[0].GetTagItem("holes.rejection_ids"));
        Assert.Equal("compile", attempts[0].GetTagItem("holes.rejection.cause"));
        Assert.Contains(attempts[0].Events, e => e.Name == "holes.rejected");
        Assert.Equal("accepted", attempts[1].GetTagItem("holes.outcome"));
        Assert.Equal(["holes.model.answered", "holes.compiled", "holes.accepted", "holes.committed"], attempts[1].Events.Select(e => e.Name));

        Assert.Empty(ChildrenOf(attempts[0]));
        var nested = ChildrenOf(attempts[1]);
        Assert.Equal(3, nested.Length);
        Assert.All(nested, hole =>
        {
            Assert.Equal(2, hole.GetTagItem("holes.depth"));
            Assert.Equal(Topic, hole.GetTagItem("holes.task"));
            Assert.Equal("filled", hole.GetTagItem("holes.outcome"));
            Assert.Equal("accepted", Assert.Single(ChildrenOf(hole)).GetTagItem("holes.outcome"));
        });

        // Siblings that ran at the same time: each started before any of the others ended.
        var firstEnd = nested.Min(s => s.StartTimeUtc + s.Duration);
        Assert.All(nested, s => Assert.True(s.StartTimeUtc <= firstEnd));

        // Microsoft.Extensions.AI's chat span sits under the attempt that made the call: one per attempt.
        var allAttempts = attempts.Concat(nested.SelectMany(h => ChildrenOf(h))).ToList();
        Assert.Equal(5, allAttempts.Count);
        Assert.All(allAttempts, attempt => Assert.Single(ChildrenOf(attempt, MeaiSource)));
        Assert.Equal(5, trace.Count(s => s.Source.Name == MeaiSource));
    }

    [Fact]
    public async Task Metrics_count_holes_attempts_rejections_durations_compile_time_and_tokens_by_model()
    {
        var snapshots = new List<MetricSnapshot>();
        using var metering = Sdk.CreateMeterProviderBuilder()
            .AddMeter(HolesTelemetry.MeterName)
            .AddInMemoryExporter(snapshots)
            .Build();

        var (_, stats) = await RunWorkflowAsync();
        metering.ForceFlush();

        long Sum(string name, params (string Key, object Value)[] tags) => Points(snapshots, name, tags).Sum(p => p.GetSumLong());
        long Count(string name, params (string Key, object Value)[] tags) => Points(snapshots, name, tags).Sum(p => p.GetHistogramCount());

        Assert.Equal(4, Sum("holes.holes", ("holes.outcome", "filled"), ("holes.operation", "fill")));
        Assert.Equal(4, Sum("holes.attempts", ("holes.outcome", "accepted")));
        Assert.Equal(1, Sum("holes.attempts", ("holes.outcome", "rejected")));
        Assert.Equal(1, Sum("holes.rejections", ("holes.rejection.cause", "compile")));
        Assert.Equal(0, Sum("holes.rejections", ("holes.rejection.cause", "capability")));
        Assert.Equal(4, Count("holes.hole.duration", ("holes.outcome", "filled")));
        Assert.Equal(4, Count("holes.compile.duration", ("holes.compile.result", "accepted")));
        Assert.Equal(1, Count("holes.compile.duration", ("holes.compile.result", "rejected")));
        Assert.Equal(5, Count("holes.model.duration", ("gen_ai.request.model", Model)));
        Assert.Equal(5, Sum("holes.model.calls", ("gen_ai.request.model", Model), ("holes.usage", "reported")));
        Assert.Equal(500, Sum("holes.model.tokens", ("gen_ai.request.model", Model), ("gen_ai.token.type", "input")));
        Assert.Equal(50, Sum("holes.model.tokens", ("gen_ai.request.model", Model), ("gen_ai.token.type", "output")));

        // The session's own statistics agree.
        Assert.Equal(4, stats.Holes);
        Assert.Equal(500, stats.Models[Model].InputTokens);
        Assert.Equal(1, stats.RejectionsByCause[RejectionCause.Compile]);
    }

    [Fact]
    public async Task The_model_a_hole_is_filled_with_is_on_its_spans_log_events_metrics_and_progress()
    {
        var spans = new List<Activity>();
        var snapshots = new List<MetricSnapshot>();
        var logs = new CapturingLoggerProvider();
        var progress = new List<HoleProgress>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(RootSource, HolesTelemetry.ActivitySourceName).AddInMemoryExporter(spans).Build();
        using var metering = Sdk.CreateMeterProviderBuilder().AddMeter(HolesTelemetry.MeterName).AddInMemoryExporter(snapshots).Build();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        var usage = new UsageDetails { InputTokenCount = 7, OutputTokenCount = 1 };
        var main = new ScriptedChatClient { ModelId = "big-model", Usage = (_, _) => usage }.ReplyWithCode("return 1;");
        var fast = new ScriptedChatClient { ModelId = "small-model", Usage = (_, _) => usage }.ReplyWithCode("return 2;");
        await using var session = new AgentSession(main, new Dictionary<string, AgentModel> { ["fast"] = new(fast, "quick") },
            new HoleOptions { Progress = new Synchronous<HoleProgress>(progress.Add) }, loggerFactory);
        using var entered = session.Enter();

        ActivityTraceId traceId;
        using (var root = s_root.StartActivity("keyed")!)
        {
            traceId = root.TraceId;
            await agent<int>("on the default model");
            using (session.UseModel("fast"))
            {
                await agent<int>("on the fast model");
            }
        }

        metering.ForceFlush();
        var holes = spans.Where(s => s.TraceId == traceId && s.DisplayName.StartsWith("hole ", StringComparison.Ordinal)).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(["default", "fast"], holes.Select(h => h.GetTagItem("holes.model.key")));
        Assert.Equal(["big-model", "small-model"], holes.Select(h => h.GetTagItem("gen_ai.request.model")));

        var called = logs.Events.Where(e => e.Id.Name == "ModelCalled").ToList();
        Assert.Equal(["default", "fast"], called.Select(e => e["ModelKey"]));
        Assert.Equal(["big-model", "small-model"], called.Select(e => e["Model"]));
        Assert.Contains(progress, p => p.Task == "on the fast model" && p.ModelKey == "fast" && p.Model == "small-model");

        Assert.Equal(7, Points(snapshots, "holes.model.tokens", [("holes.model.key", "fast"), ("gen_ai.token.type", "input")]).Sum(p => p.GetSumLong()));
        Assert.Equal(7, session.Stats.ModelKeys["fast"].InputTokens);
    }

    [Fact]
    public async Task ExecuteAsync_is_a_hole_with_one_attempt_and_no_model()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(RootSource, HolesTelemetry.ActivitySourceName).AddInMemoryExporter(spans).Build();
        await using var session = new AgentSession(new ScriptedChatClient());

        ActivityTraceId traceId;
        using (var root = s_root.StartActivity("execute")!)
        {
            traceId = root.TraceId;
            Assert.True((await session.ExecuteAsync<int>("var n = 2; return n;")).IsAccepted);
            Assert.False((await session.ExecuteAsync<int>("return missing;")).IsAccepted);
        }

        var holes = spans.Where(s => s.TraceId == traceId && s.DisplayName.StartsWith("execute ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["filled", "rejected"], holes.Select(h => h.GetTagItem("holes.outcome")));
        Assert.All(holes, h => Assert.Equal("execute", h.GetTagItem("holes.operation")));
        Assert.All(holes, h => Assert.Null(h.GetTagItem("gen_ai.request.model")));
        Assert.Equal(2, session.Stats.Holes);
    }

    private static List<MetricPoint> Points(List<MetricSnapshot> snapshots, string name, (string Key, object Value)[] tags)
    {
        var result = new List<MetricPoint>();
        var snapshot = snapshots.LastOrDefault(s => s.Name == name);
        if (snapshot is null)
        {
            return result;
        }

        foreach (var point in snapshot.MetricPoints)
        {
            var pointTags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                pointTags[tag.Key] = tag.Value;
            }

            if (tags.All(t => pointTags.TryGetValue(t.Key, out var value) && Equals(value, t.Value)))
            {
                result.Add(point);
            }
        }

        return result;
    }
}
