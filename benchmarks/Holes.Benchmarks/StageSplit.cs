using System.Diagnostics;
using Holes.Capabilities;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Load;
using Holes.Pipeline.Verify;
using Holes.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace Holes.Benchmarks;

/// <summary>
/// Where the engine's time goes: the same fills, in the same context as the latency run (same bindings, the
/// session variables the engine had at the end), through the engine's internal stages one at a time.
/// Informational only; it calls internal types, so it follows the engine's internals as they change.
/// </summary>
internal static class StageSplit
{
    private static readonly EmitOptions s_withPdb = new(debugInformationFormat: DebugInformationFormat.PortablePdb);

    private static readonly string[] s_stages =
    [
        "FillSource.Create (frame, parse, rewrite plan)",
        "bind: model.GetDiagnostics",
        "verify: CapabilityVerifier.Verify",
        "emit + PDB, same compilation as bind",
        "FillCompiler.Compile, whole",
        "load: new FillLoadContext + FillLoader.Load",
        "run: entry(frame)",
        "unload: context.Unload",
        "(ref) emit, no PDB, fresh compilation",
        "(ref) emit + PDB, fresh compilation",
    ];

    public static async Task RunAsync(IReadOnlyList<SessionVariable> sessionVariables, int warmupRounds, int rounds, Summary summary)
    {
        var fills = FillCases.All;
        var values = FillGlobals.Create();
        var bindings = values.ToBindings().Items;
        var visible = sessionVariables.Where(v => !bindings.Any(b => b.Name == v.Name)).ToList();
        var slots = visible.Select(v => new VariableSlot(v.Name, v.TypeName)).ToList();
        var rules = CapabilityRules.For(CapabilityPolicy.Default);
        var template = ReferenceSet.Shared.Template;

        Console.WriteLine();
        Console.WriteLine($"== Stage split (engine internals, {visible.Count} session variables in scope, {rounds} rounds x {fills.Count} fills)");

        var samples = s_stages.Select(_ => new Samples()).ToArray();
        for (var round = 0; round < warmupRounds + rounds; round++)
        {
            foreach (var fill in fills)
            {
                var timed = new double[s_stages.Length];
                var request = new FillRequest(fill.Code, RuntimeTypeNames.FullyQualified(fill.ResultType), bindings, slots, [], NestedHolesAllowed: true);

                var t = Stopwatch.GetTimestamp();
                var source = FillSource.Create(request);
                timed[0] = Timing.Since(t);

                t = Stopwatch.GetTimestamp();
                var compilation = template.AddSyntaxTrees(source.Tree);
                var model = compilation.GetSemanticModel(source.Tree);
                var errors = model.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
                timed[1] = Timing.Since(t);
                Expect(errors == 0, fill, "compiler errors");

                t = Stopwatch.GetTimestamp();
                var denials = CapabilityVerifier.Verify(model, source, rules, nestedHolesAllowed: true, CancellationToken.None);
                timed[2] = Timing.Since(t);
                Expect(denials.Count == 0, fill, "capability denials: " + string.Join("; ", denials));

                timed[3] = Emit(compilation, withPdb: true);

                t = Stopwatch.GetTimestamp();
                var outcome = FillCompiler.Compile(request, rules, "benchmark", CancellationToken.None);
                timed[4] = Timing.Since(t);
                var compiled = outcome.Fill ?? throw new InvalidOperationException($"Fill '{fill.Name}' was rejected: {string.Join("; ", outcome.Diagnostics)}");

                t = Stopwatch.GetTimestamp();
                var context = new FillLoadContext();
                var entry = FillLoader.Load(context, compiled);
                timed[5] = Timing.Since(t);

                t = Stopwatch.GetTimestamp();
                var frame = new FillFrame([.. bindings.Select(b => b.Value)], [.. visible.Select(v => v.Value)], compiled, null);
                _ = await entry(frame);
                timed[6] = Timing.Since(t);

                t = Stopwatch.GetTimestamp();
                context.Unload();
                timed[7] = Timing.Since(t);

                timed[8] = Emit(template.AddSyntaxTrees(source.Tree), withPdb: false);
                timed[9] = Emit(template.AddSyntaxTrees(source.Tree), withPdb: true);

                if (round >= warmupRounds)
                {
                    for (var i = 0; i < timed.Length; i++)
                    {
                        samples[i].Add(timed[i]);
                    }
                }
            }
        }

        var compileMean = samples[4].Mean;
        Console.WriteLine("   stage (ms per fill)                                 mean      p50   % of Compile");
        for (var i = 0; i < s_stages.Length; i++)
        {
            var share = i <= 3 ? $"{Timing.F(100 * samples[i].Mean / compileMean, "F0"),12}%" : "";
            Console.WriteLine($"   {s_stages[i],-48} {Timing.Ms(samples[i].Mean),8} {Timing.Ms(samples[i].P50),8} {share}");
        }

        var parts = samples[0].Mean + samples[1].Mean + samples[2].Mean + samples[3].Mean;
        var analysis = compileMean - parts;
        var pdb = samples[9].Mean - samples[8].Mean;
        var rebind = samples[3].Mean - samples[9].Mean;
        Console.WriteLine($"   Compile minus (source+bind+verify+emit): {Timing.Ms(analysis)} ms (declared types, data flow, nested sites, copying the image)");
        Console.WriteLine($"   PDB cost at emit (fresh emit with PDB - without): {Timing.Ms(pdb)} ms");
        Console.WriteLine($"   emit after bind - fresh emit (what binding first saves at emit): {Timing.Ms(rebind)} ms");
        Console.WriteLine($"   engine per fill ~ Compile + load + run + unload = {Timing.Ms(compileMean + samples[5].Mean + samples[6].Mean + samples[7].Mean)} ms (means)");

        summary.Figure("stages: Compile / load / run / unload (mean ms)",
            $"{Timing.Ms(compileMean)} / {Timing.Ms(samples[5].Mean)} / {Timing.Ms(samples[6].Mean)} / {Timing.Ms(samples[7].Mean)}");
        summary.Figure("stages: source / bind / verify / emit+PDB (mean ms)",
            $"{Timing.Ms(samples[0].Mean)} / {Timing.Ms(samples[1].Mean)} / {Timing.Ms(samples[2].Mean)} / {Timing.Ms(samples[3].Mean)}");
    }

    private static double Emit(Compilation compilation, bool withPdb)
    {
        using var image = new MemoryStream();
        using var symbols = withPdb ? new MemoryStream() : null;
        var t = Stopwatch.GetTimestamp();
        var result = withPdb ? compilation.Emit(image, symbols, options: s_withPdb) : compilation.Emit(image);
        var elapsed = Timing.Since(t);
        if (!result.Success)
        {
            throw new InvalidOperationException("Emit failed: " + string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return elapsed;
    }

    private static void Expect(bool condition, IFillCase fill, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Fill '{fill.Name}': {what}.");
        }
    }
}
