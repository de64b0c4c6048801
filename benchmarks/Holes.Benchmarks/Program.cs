using System.Runtime.InteropServices;
using Holes.Benchmarks;
using Holes;

if (args.Contains(FirstHole.ChildArgument))
{
    return await FirstHole.RunChildAsync(args.Contains(FirstHole.IsolatedArgument) ? HoleIsolation.Process : HoleIsolation.InProcess);
}

var quick = args.Contains("--quick");
var strict = args.Contains("--strict");
var sections = new HashSet<string>(StringComparer.Ordinal) { "first-hole", "latency", "stages", "memory", "telemetry", "isolated", "prompt", "build", "dotnet-build", "budget", "analyzers" };
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick" or "--strict":
            break;
        case "--only" when i + 1 < args.Length:
            sections.IntersectWith(args[++i].Split(','));
            break;
        default:
            Console.Error.WriteLine("usage: Holes.Benchmarks [--quick] [--strict] [--only first-hole,latency,stages,memory,telemetry,isolated,prompt,build,dotnet-build,budget,analyzers]");
            return 2;
    }
}

var (warmup, rounds, stageRounds, checkpoint, holes, firstHoleRuns) = quick
    ? (3, 10, 3, 200, 2_000, 1)
    : (10, 30, 10, 1_000, 10_000, 3);

Console.WriteLine($"Holes benchmarks ({(quick ? "quick" : "full")}): {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, " +
    $"{Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}");
#if DEBUG
Console.WriteLine("WARNING: Debug build; timings are not meaningful. Run with -c Release.");
#endif

var summary = new Summary();
var started = System.Diagnostics.Stopwatch.GetTimestamp();

// The first-hole child runs first, while this process is still idle and cannot compete with it for the two cores.
await Section("first-hole", async () =>
{
    await FirstHole.RunAsync(firstHoleRuns, summary, HoleIsolation.InProcess);
    await FirstHole.RunAsync(firstHoleRuns, summary, HoleIsolation.Process);
});
await Section("latency", () => LatencyBenchmark.RunAsync(warmup, rounds, summary));
await Section("stages", () => StageSplit.RunAsync(2, stageRounds, summary));
await Section("memory", () => MemoryBenchmark.RunAsync(checkpoint, holes, summary));
await Section("telemetry", () => TelemetryOverhead.RunAsync(warmup, rounds, quick ? 100_000 : 1_000_000, summary));
await Section("isolated", () => IsolatedBenchmark.RunAsync(warmup, rounds, quick ? 1 : 3, summary));
await Section("prompt", () => PromptCost.RunAsync(summary));
await Section("build", () => BuildBenchmark.RunAsync(quick ? 1 : 2, quick ? 3 : 7, quick ? 10 : 30, summary));
await Section("dotnet-build", () => DotnetBuildBenchmark.RunAsync(quick ? 3 : 5, summary));
await Section("budget", () => BudgetOverhead.RunAsync(quick ? 2 : 3, quick ? 5 : 15, summary));
await Section("analyzers", () => AnalyzerCost.RunAsync(quick ? 2 : 4, summary));

summary.Figure("total run time (s)", Timing.F(Timing.Since(started) / 1000, "F1"));
summary.Figure("load average at the end", Timing.LoadAverage() is { } load ? Timing.F(load) : "n/a");
summary.Print();
return strict && summary.AnyMiss ? 1 : 0;

async Task Section(string name, Func<Task> run)
{
    if (!sections.Contains(name))
    {
        return;
    }

    Console.WriteLine();
    Console.WriteLine($"[{name}] {Timing.LoadNote()}");
    try
    {
        await run();
    }
    catch (Exception ex)
    {
        Console.WriteLine($"   {name} failed: {ex}");
        summary.Error(name, ex.GetType().Name + ": " + ex.Message.Split('\n')[0]);
    }
}
