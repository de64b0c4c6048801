using System.Diagnostics;
using Holes.Testing;

namespace Holes.Benchmarks;

/// <summary>
/// Per-fill latency of the engine against two baselines measured in the same process on the same fills:
/// the floor (compile + emit + collectible load + run + unload, nothing else) and Roslyn scripting (chained
/// submissions). Paths are interleaved round-robin, and the path that goes first rotates, so warm caches, GC and
/// tiered JIT are shared fairly.
/// </summary>
internal static class LatencyBenchmark
{
    public const double EngineOverFloorTarget = 1.5;
    public const double EngineOverScriptingTarget = 0.6;

    private static readonly string[] s_names = ["engine", "floor", "scripting"];

    public static async Task RunAsync(int warmupRounds, int rounds, Summary summary)
    {
        var fills = FillCases.All;
        var values = FillGlobals.Create();
        var bindings = values.ToBindings();

        Console.WriteLine($"== Latency: {fills.Count} fills x 3 paths, {warmupRounds} warm-up rounds, then {rounds} timed rounds ({fills.Count * rounds} fills per path)");

        var started = Stopwatch.GetTimestamp();
        await using var session = new AgentSession(new ScriptedChatClient());
        var floor = new FloorPath();
        var scripting = new ScriptingPath();
        await scripting.StartAsync(values);
        Console.WriteLine($"   set-up (session, scripting state): {Timing.Ms(Timing.Since(started))} ms");

        Func<IFillCase, Task<object?>>[] paths =
        [
            f => f.EngineAsync(session, bindings),
            f => f.FloorAsync(floor, values),
            f => f.ScriptingAsync(scripting),
        ];

        var all = s_names.Select(_ => new Samples()).ToArray();
        var pauses = s_names.Select(_ => new Samples()).ToArray();
        var byFill = fills.Select(_ => s_names.Select(_ => new Samples()).ToArray()).ToArray();
        var warmupStarted = Stopwatch.GetTimestamp();
        long timedStarted = 0;

        for (var round = 0; round < warmupRounds + rounds; round++)
        {
            if (round == warmupRounds)
            {
                Console.WriteLine($"   warm-up: {Timing.Ms(Timing.Since(warmupStarted) / 1000)} s");
                timedStarted = Stopwatch.GetTimestamp();
            }

            for (var f = 0; f < fills.Count; f++)
            {
                var fill = fills[f];
                string? reference = null;
                var referencePath = "";
                for (var k = 0; k < paths.Length; k++)
                {
                    var p = (round + f + k) % paths.Length;
                    var pause0 = GC.GetTotalPauseDuration();
                    var t0 = Stopwatch.GetTimestamp();
                    var value = await paths[p](fill);
                    var elapsed = Timing.Since(t0);
                    var paused = (GC.GetTotalPauseDuration() - pause0).TotalMilliseconds;

                    // Outside the timed region: every path must have computed the same thing.
                    var text = fill.Describe(value);
                    if (reference is null)
                    {
                        reference = text;
                        referencePath = s_names[p];
                    }
                    else if (!string.Equals(text, reference, StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"Fill '{fill.Name}': {s_names[p]} returned \"{text}\" but {referencePath} returned \"{reference}\".");
                    }

                    if (round >= warmupRounds)
                    {
                        all[p].Add(elapsed);
                        pauses[p].Add(paused);
                        byFill[f][p].Add(elapsed);
                    }
                }

                if (round == 0)
                {
                    Console.WriteLine($"   {fill.Name,-12} -> {Truncate(reference!, 60)}");
                }
            }
        }

        Console.WriteLine($"   timed rounds: {Timing.Ms(Timing.Since(timedStarted) / 1000)} s");
        Console.WriteLine();
        Console.WriteLine("   per fill, p50 ms        engine    floor  scripting   engine/floor");
        for (var f = 0; f < fills.Count; f++)
        {
            var s = byFill[f];
            Console.WriteLine($"   {fills[f].Name,-20} {Timing.Ms(s[0].P50),9} {Timing.Ms(s[1].P50),8} {Timing.Ms(s[2].P50),10} {Timing.F(s[0].P50 / s[1].P50),14}");
        }

        Console.WriteLine();
        Console.WriteLine("   all fills (ms)        p50      p95     mean      min      max       n   GC pause (mean)");
        for (var p = 0; p < paths.Length; p++)
        {
            var s = all[p];
            Console.WriteLine($"   {s_names[p],-16} {Timing.Ms(s.P50),8} {Timing.Ms(s.P95),8} {Timing.Ms(s.Mean),8} {Timing.Ms(s.Min),8} {Timing.Ms(s.Max),8} {s.Count,7} {Timing.Ms(pauses[p].Mean),17}");
        }

        var overFloor = all[0].P50 / all[1].P50;
        var overScripting = all[0].P50 / all[2].P50;
        Console.WriteLine();
        Console.WriteLine($"   engine/floor p50     = {Timing.F(overFloor)}  (target <= {Timing.F(EngineOverFloorTarget, "F1")})  {(overFloor <= EngineOverFloorTarget ? "PASS" : "MISS")}");
        Console.WriteLine($"   engine/scripting p50 = {Timing.F(overScripting)}  (target <= {Timing.F(EngineOverScriptingTarget, "F1")})  {(overScripting <= EngineOverScriptingTarget ? "PASS" : "MISS")}");
        Console.WriteLine($"   engine session variables after the run: {session.Variables.Count}; scripting submissions: {scripting.Submissions}");

        for (var p = 0; p < paths.Length; p++)
        {
            summary.Figure($"latency {s_names[p]} p50 / p95 (ms)", $"{Timing.Ms(all[p].P50)} / {Timing.Ms(all[p].P95)}");
        }

        summary.Check("latency engine/floor p50", Timing.F(overFloor), $"<= {Timing.F(EngineOverFloorTarget, "F1")}", overFloor <= EngineOverFloorTarget);
        summary.Check("latency engine/scripting p50", Timing.F(overScripting), $"<= {Timing.F(EngineOverScriptingTarget, "F1")}", overScripting <= EngineOverScriptingTarget);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 3)] + "...";
}
