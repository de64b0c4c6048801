using System.Diagnostics;
using Holes.Testing;

namespace Holes.Benchmarks;

/// <summary>
/// The isolated executor (<see cref="HoleIsolation.Process"/>) against the in-process engine, on the latency fills,
/// interleaved round-robin in the same process; then how long a runaway fill takes to be stopped and its worker
/// replaced once its budget has run out.
/// </summary>
internal static class IsolatedBenchmark
{
    public const double ProcessOverInProcessTarget = 1.3;
    public const double StopAndReplaceTargetMs = 2_000;

    private static readonly TimeSpan s_runawayBudget = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(int warmupRounds, int rounds, int runaways, Summary summary)
    {
        var fills = FillCases.All;
        var values = FillGlobals.Create();
        Console.WriteLine($"== Isolated executor: {fills.Count} fills x 2 paths, {warmupRounds} warm-up rounds, then {rounds} timed rounds");

        var started = Stopwatch.GetTimestamp();
        await using var inProcess = new AgentSession(new ScriptedChatClient());
        await using var isolated = new AgentSession(new ScriptedChatClient(), new HoleOptions { Isolation = HoleIsolation.Process, Log = line => Console.WriteLine("   " + line) });
        Console.WriteLine($"   protections: {isolated.Protections}");
        Console.WriteLine($"   set-up (both sessions, worker started): {Timing.Ms(Timing.Since(started))} ms");

        AgentSession[] sessions = [inProcess, isolated];
        string[] names = ["in-process", "process"];
        var all = names.Select(_ => new Samples()).ToArray();
        for (var round = 0; round < warmupRounds + rounds; round++)
        {
            for (var f = 0; f < fills.Count; f++)
            {
                string? reference = null;
                for (var k = 0; k < sessions.Length; k++)
                {
                    var p = (round + f + k) % sessions.Length;
                    var t0 = Stopwatch.GetTimestamp();
                    var value = await fills[f].EngineAsync(sessions[p], values.ToBindings());
                    var elapsed = Timing.Since(t0);
                    var text = fills[f].Describe(value);
                    if (reference is not null && !string.Equals(reference, text, StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"Fill '{fills[f].Name}': {names[p]} returned \"{text}\" but the other path returned \"{reference}\".");
                    }

                    reference = text;
                    if (round >= warmupRounds)
                    {
                        all[p].Add(elapsed);
                    }
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("   all fills (ms)        p50      p95     mean       n");
        for (var p = 0; p < names.Length; p++)
        {
            Console.WriteLine($"   {names[p],-16} {Timing.Ms(all[p].P50),8} {Timing.Ms(all[p].P95),8} {Timing.Ms(all[p].Mean),8} {all[p].Count,7}");
        }

        var ratio = all[1].P50 / all[0].P50;
        Console.WriteLine($"   process/in-process p50 = {Timing.F(ratio)}  (target <= {Timing.F(ProcessOverInProcessTarget, "F1")})  {(ratio <= ProcessOverInProcessTarget ? "PASS" : "MISS")}");

        // Runaway fills: the budget is 1 s for the whole hole; what the hole takes beyond it is the time to notice, kill
        // the worker, promote the warm spare, restore the session's variables into it, and return.
        await isolated.ExecuteAsync<int>("var kept = new List<int> { 1, 2, 3 }; return kept.Count;");
        isolated.Options.Timeout = s_runawayBudget;
        var stops = new Samples();
        var next = new Samples();
        for (var i = 0; i < runaways; i++)
        {
            // Let the spare finish starting, as it would between holes.
            await Task.Delay(1_500);
            var t0 = Stopwatch.GetTimestamp();
            var runaway = await isolated.ExecuteAsync<int>("while (true) { }");
            var stop = Timing.Since(t0) - s_runawayBudget.TotalMilliseconds;
            if (runaway.Exception is not HoleBudgetExceededException)
            {
                throw new InvalidOperationException($"The runaway fill ended with {runaway.Status}: {runaway.Exception}");
            }

            var t1 = Stopwatch.GetTimestamp();
            var sum = (await isolated.ExecuteAsync<int>("return kept.Sum();")).GetValueOrThrow();
            var nextMs = Timing.Since(t1);
            next.Add(nextMs);
            if (sum != 6)
            {
                throw new InvalidOperationException($"The restored variable summed to {sum}.");
            }

            stops.Add(stop);
            Console.WriteLine($"   runaway {i + 1}: stopped and replaced {Timing.Ms(stop)} ms after its {s_runawayBudget.TotalSeconds:0} s budget; next hole {Timing.Ms(nextMs)} ms");
        }

        Console.WriteLine($"   stop and replace, median = {Timing.Ms(stops.P50)} ms  (target <= {StopAndReplaceTargetMs:0} ms)  {(stops.P50 <= StopAndReplaceTargetMs ? "PASS" : "MISS")}");

        summary.Figure("isolated in-process / process p50 (ms)", $"{Timing.Ms(all[0].P50)} / {Timing.Ms(all[1].P50)}");
        summary.Check("isolated process/in-process p50", Timing.F(ratio), $"<= {Timing.F(ProcessOverInProcessTarget, "F1")}", ratio <= ProcessOverInProcessTarget);
        summary.Check("isolated stop + replace a runaway (ms)", Timing.Ms(stops.P50), $"<= {StopAndReplaceTargetMs:0}", stops.P50 <= StopAndReplaceTargetMs);
        summary.Figure("isolated first hole after a replacement (ms)", Timing.Ms(next.P50));
    }
}
