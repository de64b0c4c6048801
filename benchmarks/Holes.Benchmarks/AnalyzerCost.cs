using System.Collections.Immutable;
using System.Diagnostics;
using Holes.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;

namespace Holes.Benchmarks;

/// <summary>
/// The analyzers' share of the build section, measured on its own (issue 5): the generated 500-file application, without
/// holes and with 200 (the generator run first, as in a build), and every Holes analyzer run through
/// <see cref="CompilationWithAnalyzers"/>, against a do-nothing analyzer (one syntax-node action on invocations) on the
/// same compilation, alternating which goes first. <see cref="CompilationWithAnalyzers"/> compiles every method body to
/// produce the events analyzers run on, which a real build gets from its own compile, so the figure is the CPU time the
/// Holes analyzers take beyond the do-nothing one, as a share of the CPU time of the plain build (parse and emit). Minutes,
/// not the build section's half hour, so it can be taken after every change to the analyzers.
/// </summary>
internal static class AnalyzerCost
{
    private static readonly EmitOptions s_emitOptions = new(debugInformationFormat: DebugInformationFormat.PortablePdb);

    public static async Task RunAsync(int rounds, Summary summary)
    {
        var references = BuildBenchmark.References();
        var analyzers = BuildBenchmark.Analyzers();
        Console.WriteLine($"== Analyzers: {string.Join(", ", analyzers.Select(a => a.GetType().Name))} against a do-nothing analyzer, 1 warm-up and {rounds} timed rounds; medians of CPU time");
        // Untimed: the first builds of the process JIT-compile the compiler, and tiered compilation recompiles its hot
        // methods in the background for several builds after (without this the first plain build timed took 1.7 times
        // the second program's, a larger one).
        var warmup = Enumerable.Range(0, GeneratedProject.FileCount).Select(i => GeneratedProject.Source(i, withHoles: false)).ToArray();
        for (var i = 0; i < 3; i++)
        {
            _ = CSharpCompilation.Create("Shop", BuildBenchmark.Parse(warmup), references, BuildBenchmark.s_options).Emit(new MemoryStream(), new MemoryStream(), options: s_emitOptions);
        }

        foreach (var withHoles in new[] { false, true })
        {
            var sources = Enumerable.Range(0, GeneratedProject.FileCount).Select(i => GeneratedProject.Source(i, withHoles)).ToArray();
            var holes = GeneratedProject.TotalHoles(withHoles);

            // The plain build, for scale: parse and emit; the faster of two.
            var plain = Math.Min(PlainBuild(), PlainBuild());
            double PlainBuild() => Cpu(() =>
            {
                var emitted = CSharpCompilation.Create("Shop", BuildBenchmark.Parse(sources), references, BuildBenchmark.s_options).Emit(new MemoryStream(), new MemoryStream(), options: s_emitOptions);
                if (!emitted.Success)
                {
                    throw new InvalidOperationException("The generated project did not compile.");
                }
            });

            Compilation compilation = CSharpCompilation.Create("Shop", BuildBenchmark.Parse(sources), references, BuildBenchmark.s_options);
            var driver = CSharpGeneratorDriver.Create([new HoleSiteGenerator().AsSourceGenerator()], parseOptions: BuildBenchmark.s_parseOptions)
                .RunGeneratorsAndUpdateCompilation(compilation, out compilation, out _);
            BuildBenchmark.CheckGeneratorRun(driver.GetRunResult().Results[0], holes);

            var beyond = new Samples();
            var floors = new Samples();
            Console.WriteLine($"   -- {holes} holes; plain build {Timing.F(plain, "F0")} ms CPU; {Timing.LoadNote()}");
            for (var round = 0; round < 1 + rounds; round++)
            {
                // Fresh compilations (same trees): the analyzer driver must not find the other run's binding cached.
                double floor = 0, with = 0;
                foreach (var isHoles in round % 2 == 0 ? new[] { false, true } : [true, false])
                {
                    var fresh = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(compilation.SyntaxTrees);
                    var ms = await AnalyzeAsync(fresh, isHoles ? analyzers : BuildBenchmark.s_doNothing, expectNothing: isHoles);
                    (isHoles ? ref with : ref floor) = ms;
                }

                if (round >= 1)
                {
                    beyond.Add(with - floor);
                    floors.Add(floor);
                }
            }

            var share = beyond.P50 / plain;
            Console.WriteLine($"      Holes analyzers beyond the do-nothing one: {Timing.F(beyond.P50, "F0")} ms CPU (min {Timing.F(beyond.Min, "F0")}, max {Timing.F(beyond.Max, "F0")}) " +
                $"= {Timing.F(share * 100, "F1")}% of the plain build; the do-nothing analyzer itself {Timing.F(floors.P50, "F0")} ms");
            summary.Figure($"analyzers, {holes} holes: beyond a do-nothing analyzer, share of the plain build (cpu)", Timing.F(share * 100, "F1") + "%");
        }
    }

    private static async Task<double> AnalyzeAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, bool expectNothing)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var diagnostics = await compilation.WithAnalyzers(analyzers, new AnalyzerOptions([])).GetAnalyzerDiagnosticsAsync();
        var ms = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
        if (expectNothing && diagnostics.Length > 0)
        {
            throw new InvalidOperationException("The Holes analyzers reported on the generated project:\n" + string.Join('\n', diagnostics.Take(10)));
        }

        return ms;
    }

    private static double Cpu(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        action();
        return (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
    }
}
