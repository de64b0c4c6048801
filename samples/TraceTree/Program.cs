// Traces a multi-hole workflow with OpenTelemetry: every span goes to the console exporter as it ends, then the
// whole trace is printed as a tree. The workflow has a rejected attempt, a hole that fans out to parallel sub-holes,
// and a second hole that uses the first one's result. The model is scripted (no network), wrapped in
// Microsoft.Extensions.AI's UseOpenTelemetry(), so each model call's span sits under the attempt that made it.
//
//   dotnet run --project samples/TraceTree              # console exporter output, then the tree
//   dotnet run --project samples/TraceTree -- --tree    # the tree only
using System.Diagnostics;
using Holes;
using Holes.Testing;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Trace;
using static Holes.Agents;

const string ChatSource = "TraceTree.Chat";
using var workflowSource = new ActivitySource("TraceTree");

var spans = new List<Activity>();
var tracing = Sdk.CreateTracerProviderBuilder()
    .AddSource(workflowSource.Name, HolesTelemetry.ActivitySourceName, ChatSource)
    .AddInMemoryExporter(spans);
if (!args.Contains("--tree"))
{
    tracing.AddConsoleExporter();
}

using var tracerProvider = tracing.Build();

var model = new ChatClientBuilder(ScriptedModel.Create()).UseOpenTelemetry(sourceName: ChatSource).Build();
await using var session = new AgentSession(model);
AgentSession.Current = session;

List<Leg> legs;
int total;
using (workflowSource.StartActivity("plan a trip"))
{
    var cities = new[] { "Lyon", "Turin", "Milan", "Verona" };
    legs = await agent<List<Leg>>("the legs of a trip through cities, one sub-agent per leg, in parallel", cities);
    total = await agent<int>("the total distance of legs in km", legs);
}

tracerProvider.ForceFlush();
Console.WriteLine();
Console.WriteLine($"Legs: {string.Join(", ", legs)}; total {total} km");
Console.WriteLine();
Console.WriteLine("Trace tree (span, what it recorded, duration):");
TreePrinter.Print(spans, Console.Out);
Console.WriteLine();
Console.WriteLine($"Session stats: {session.Stats}");
return 0;

/// <summary>One leg of the trip.</summary>
/// <param name="From">Where the leg starts.</param>
/// <param name="To">Where it ends.</param>
/// <param name="Km">Its length by road, in kilometres.</param>
internal sealed record Leg(string From, string To, int Km);

/// <summary>
/// What a model would answer, computed from the request: the first attempt at the trip forgets a helper (a compile
/// error the engine rejects), each leg is looked up in a table, the total is a sum.
/// </summary>
internal static class ScriptedModel
{
    private static readonly Dictionary<(string, string), int> s_km = new()
    {
        [("Lyon", "Turin")] = 310,
        [("Turin", "Milan")] = 140,
        [("Milan", "Verona")] = 160,
    };

    public static ScriptedChatClient Create()
    {
        var model = new ScriptedChatClient { ModelId = "scripted-model", Latency = TimeSpan.FromMilliseconds(40) };
        model.When(r => r.Task.StartsWith("the legs of a trip", StringComparison.Ordinal) && r.Attempt == 1,
            _ => FillReplies.Code("return await Legs(cities);"));
        model.When(r => r.Task.StartsWith("the legs of a trip", StringComparison.Ordinal),
            _ => FillReplies.Code(
                """
                var legs = cities.Zip(cities.Skip(1), (from, to) => agent<Leg>("the road leg from 'from' to 'to'", from, to));
                return (await Task.WhenAll(legs)).ToList();
                """));
        model.When(r => r.Task.StartsWith("the road leg", StringComparison.Ordinal), r =>
        {
            var leg = s_km.Keys.Single(k => r.Prompt.Contains($"`from`: `string` = \"{k.Item1}\"", StringComparison.Ordinal));
            return FillReplies.Code($"return new Leg(from, to, {s_km[leg]});");
        });
        model.WhenTask("the total distance of legs in km", _ => "return legs.Sum(leg => leg.Km);");
        return model;
    }
}

/// <summary>Prints spans as a tree: children under their parent, in start order, with their key attributes.</summary>
internal static class TreePrinter
{
    public static void Print(IReadOnlyList<Activity> spans, TextWriter output)
    {
        var byParent = spans.ToLookup(s => s.ParentSpanId);
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        foreach (var root in spans.Where(s => !ids.Contains(s.ParentSpanId)).OrderBy(s => s.StartTimeUtc))
        {
            Print(root, "", "", byParent, output);
        }
    }

    private static void Print(Activity span, string lead, string indent, ILookup<ActivitySpanId, Activity> byParent, TextWriter output)
    {
        var label = $"{lead}{span.DisplayName}{Describe(span)}";
        output.WriteLine($"{label,-88} {span.Duration.TotalMilliseconds,7:0.0} ms");
        var children = byParent[span.SpanId].OrderBy(s => s.StartTimeUtc).ToList();
        for (var i = 0; i < children.Count; i++)
        {
            var last = i == children.Count - 1;
            Print(children[i], indent + (last ? "└─ " : "├─ "), indent + (last ? "   " : "│  "), byParent, output);
        }
    }

    private static string Describe(Activity span)
    {
        string? Tag(string name) => span.GetTagItem(name) switch
        {
            null => null,
            string[] values => string.Join(",", values),
            var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        };

        var parts = new List<string>();
        if (Tag("holes.outcome") is { } outcome)
        {
            parts.Add(outcome);
        }

        if (Tag("holes.rejection_ids") is { } ids)
        {
            parts.Add(ids);
        }

        if (span.DisplayName.StartsWith("hole ", StringComparison.Ordinal) && Tag("holes.task") is { } task)
        {
            parts.Add($"\"{task}\"");
        }

        if (span.Source.Name != HolesTelemetry.ActivitySourceName && Tag("gen_ai.request.model") is null && Tag("gen_ai.operation.name") is { } operation)
        {
            parts.Add(operation);
        }

        return parts.Count == 0 ? "" : $"  [{string.Join("; ", parts)}]";
    }
}
