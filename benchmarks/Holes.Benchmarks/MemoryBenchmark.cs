using System.Diagnostics;
using System.Runtime.Loader;
using Holes.Testing;

namespace Holes.Benchmarks;

/// <summary>
/// Memory over many holes in one session: every fill is compiled into its own collectible context, so working set
/// should level off. Some fills redeclare the same top-level variable each time, so the session itself does not grow.
/// </summary>
internal static class MemoryBenchmark
{
    public const double GrowthTargetMb = 30;

    private readonly record struct Snapshot(int Hole, long WorkingSet, long ManagedHeap, int LoadContexts);

    public static async Task RunAsync(int checkpoint, int total, Summary summary)
    {
        Console.WriteLine($"== Memory: {total:N0} fills in one session, measured after a full GC at hole {checkpoint:N0} and hole {total:N0}");

        await using var session = new AgentSession(new ScriptedChatClient());
        Snapshot? first = null;
        Snapshot? last = null;
        var running = 0.0;
        var started = Stopwatch.GetTimestamp();
        var lap = started;
        for (var i = 1; i <= total; i++)
        {
            var (code, expected) = (i % 3) switch
            {
                0 => ("return i * 2;", i * 2),
                1 => ("var last = i * 3;\nreturn last + 1;", (i * 3) + 1),
                _ => ("var label = \"hole \" + i;\nreturn label.Length + last;", ("hole " + i).Length + (i - 1) * 3),
            };

            var t = Stopwatch.GetTimestamp();
            var result = await session.ExecuteAsync<int>(code, new HoleBindings().Add("i", i));
            running += Timing.Since(t);
            var value = result.GetValueOrThrow();
            if (value != expected)
            {
                throw new InvalidOperationException($"Hole {i}: expected {expected}, got {value}.");
            }

            if (i == checkpoint)
            {
                first = Measure(i);
            }

            if (i == total)
            {
                last = Measure(i);
            }

            if (i % (total / 10) == 0)
            {
                Console.WriteLine($"   {i,7:N0} holes, {Timing.F(Timing.Since(lap) / 1000)} s for the last {total / 10:N0}");
                lap = Stopwatch.GetTimestamp();
            }
        }

        var elapsed = Timing.Since(started) / 1000;
        var a = first!.Value;
        var b = last!.Value;
        var growth = (b.WorkingSet - a.WorkingSet) / (1024.0 * 1024.0);
        Print(a);
        Print(b);
        Console.WriteLine($"   working-set growth {a.Hole:N0} -> {b.Hole:N0}: {Timing.F(growth, "F1")} MB ({Timing.F((b.WorkingSet - a.WorkingSet) / 1024.0 / (b.Hole - a.Hole), "F2")} KB per hole)" +
            $"  (target <= {GrowthTargetMb} MB)  {(growth <= GrowthTargetMb ? "PASS" : "MISS")}");
        Console.WriteLine($"   managed-heap growth: {Timing.Mb(b.ManagedHeap - a.ManagedHeap)} MB; session variables at the end: {session.Variables.Count}");
        Console.WriteLine($"   {total:N0} holes in {Timing.F(elapsed, "F1")} s; mean ExecuteAsync {Timing.Ms(running / total)} ms");

        summary.Figure($"memory working set @{a.Hole} / @{b.Hole} (MB)", $"{Timing.Mb(a.WorkingSet)} / {Timing.Mb(b.WorkingSet)}");
        summary.Figure($"memory managed heap @{a.Hole} / @{b.Hole} (MB)", $"{Timing.Mb(a.ManagedHeap)} / {Timing.Mb(b.ManagedHeap)}");
        summary.Figure($"memory live load contexts @{a.Hole} / @{b.Hole}", $"{a.LoadContexts} / {b.LoadContexts}");
        summary.Figure($"memory {total} holes: time (s) / mean ExecuteAsync (ms)", $"{Timing.F(elapsed, "F1")} / {Timing.Ms(running / total)}");
        summary.Check($"memory working-set growth {a.Hole}->{b.Hole} (MB)", Timing.F(growth, "F1"), $"<= {GrowthTargetMb}", growth <= GrowthTargetMb);
    }

    private static Snapshot Measure(int hole)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return new Snapshot(hole, process.WorkingSet64, heap, AssemblyLoadContext.All.Count());
    }

    private static void Print(Snapshot s) =>
        Console.WriteLine($"   at hole {s.Hole,7:N0}: working set {Timing.Mb(s.WorkingSet),7} MB, managed heap {Timing.Mb(s.ManagedHeap),6} MB, live load contexts {s.LoadContexts}");
}
