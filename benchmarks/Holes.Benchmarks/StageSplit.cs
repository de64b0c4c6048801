using Holes.Rules;
using System.Diagnostics;
using Holes.Capabilities;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Load;
using Holes.Pipeline.Verify;
using Holes.Runtime;
using Holes.Testing;
using Microsoft.CodeAnalysis;

namespace Holes.Benchmarks;

/// <summary>
/// Where the time goes: the latency fills, in the context the engine runs them in during the latency section (same
/// bindings, and the session variables those fills leave behind), through the engine's internal stages one at a time,
/// next to the floor's stages. Informational only; it calls internal types, so it follows the engine's internals.
/// </summary>
internal static class StageSplit
{
    private static readonly string[] s_stages =
    [
        /* 0 */ "engine  FillSource.Create (frame, parse, rewrite plan)",
        /* 1 */ "engine  verify: CapabilityVerifier.Verify (binds via model)",
        /* 2 */ "engine  emit, no PDB (the engine's compilation of the fill)",
        /* 3 */ "engine  FillCompiler.Compile, whole (verify || emit)",
        /* 4 */ "engine  load: FillLoadContext + FillLoader.Load",
        /* 5 */ "engine  run: entry(frame)",
        /* 6 */ "engine  unload: context.Unload",
        /* 7 */ "engine  ExecuteAsync, whole",
        /* 8 */ "engine  FillCompiler.Compile, no session variables",
        /* 9 */ "floor   compile: parse + emit, no PDB",
        /* 10 */ "floor   load",
        /* 11 */ "floor   run",
        /* 12 */ "floor   unload",
        /* 13 */ "engine  run: of which JIT on this thread",
        /* 14 */ "floor   run: of which JIT on this thread",
        /* 15 */ "ref     floor compile against only the references used",
        /* 16 */ "engine  weave: budget checks into the IL (FillWeaver)",
        /* 17 */ "engine  bind: the verifier's model (GetOperation)",
        /* 18 */ "engine  verify on the bound model (its rules only)",
    ];

    /// <summary>Issue 6: the capability verifier's own work, at most this share of the compile of the fill it checks.</summary>
    public const double VerifierTarget = 0.10;

    // What the fills actually use; the engine's template references every trusted platform assembly.
    private static readonly string[] s_minimalReferences =
        ["System.Private.CoreLib", "System.Runtime", "System.Collections", "System.Linq", "Holes.Benchmarks"];

    public static async Task RunAsync(int warmupRounds, int rounds, Summary summary)
    {
        var fills = FillCases.All;
        var values = FillGlobals.Create();
        var publicBindings = values.ToBindings();
        var bindings = publicBindings.Items;
        var rules = CapabilityRules.For(CapabilityPolicy.Default.Rules);
        var template = ReferenceSet.Shared.Template;
        var floor = new FloorPath();
        var minimal = template.RemoveAllReferences().AddReferences(template.References.Where(r =>
            r is PortableExecutableReference { FilePath: { } path } && s_minimalReferences.Contains(Path.GetFileNameWithoutExtension(path))));

        // A session in the state the latency section's session reaches: every fill has run once.
        await using var session = new AgentSession(new ScriptedChatClient());
        foreach (var fill in fills)
        {
            await fill.EngineAsync(session, publicBindings);
        }

        var visible = session.Variables.Where(v => !bindings.Any(b => b.Name == v.Name)).ToList();
        var slots = visible.Select(v => new VariableSlot(v.Name, v.TypeName)).ToList();

        Console.WriteLine($"== Stage split: {rounds} rounds x {fills.Count} fills, {bindings.Count} bindings and {visible.Count} session variables in scope; " +
            $"{template.References.Count()} references in the engine's template, {minimal.References.Count()} in the minimal one");

        var samples = s_stages.Select(_ => new Samples()).ToArray();
        for (var round = 0; round < warmupRounds + rounds; round++)
        {
            foreach (var fill in fills)
            {
                var timed = new double[s_stages.Length];
                var resultType = RuntimeTypeNames.FullyQualified(fill.ResultType);
                var request = new FillRequest(fill.Code, resultType, bindings, slots, [], NestedHolesAllowed: true);

                var t = Stopwatch.GetTimestamp();
                var source = FillSource.Create(request);
                timed[0] = Timing.Since(t);

                var compilation = template.AddSyntaxTrees(source.Tree);
                var model = compilation.GetSemanticModel(source.Tree);
                t = Stopwatch.GetTimestamp();
                var denials = CapabilityVerifier.Verify(model, source, rules, nestedHolesAllowed: true, CancellationToken.None);
                timed[1] = Timing.Since(t);
                Expect(denials.Count == 0, fill, "capability denials: " + string.Join("; ", denials));

                timed[2] = Emit(template.AddSyntaxTrees(source.Tree));

                // The verifier's own work, apart from the binding it asks of its model: the same walk on a model whose
                // operation tree is already bound (the model caches it, as it does for the engine's later questions).
                var bound = template.AddSyntaxTrees(source.Tree).GetSemanticModel(source.Tree);
                t = Stopwatch.GetTimestamp();
                _ = bound.GetOperation(source.Tree.GetRoot().FindNode(source.UserSpan));
                timed[17] = Timing.Since(t);
                t = Stopwatch.GetTimestamp();
                denials = CapabilityVerifier.Verify(bound, source, rules, nestedHolesAllowed: true, CancellationToken.None);
                timed[18] = Timing.Since(t);
                Expect(denials.Count == 0, fill, "capability denials on the bound model: " + string.Join("; ", denials));

                t = Stopwatch.GetTimestamp();
                var outcome = FillCompiler.CompileAsync(request, rules, "benchmark", CancellationToken.None).GetAwaiter().GetResult();
                timed[3] = Timing.Since(t);
                var compiled = outcome.Fill ?? throw new InvalidOperationException($"Fill '{fill.Name}' was rejected: {string.Join("; ", outcome.Diagnostics)}");

                t = Stopwatch.GetTimestamp();
                var context = new FillLoadContext();
                var entry = FillLoader.Load(context, compiled);
                timed[4] = Timing.Since(t);

                t = Stopwatch.GetTimestamp();
                var jit = System.Runtime.JitInfo.GetCompilationTime(currentThread: true);
                var frame = new FillFrame([.. bindings.Select(b => b.Value)], [.. visible.Select(v => v.Value)], compiled, null);
                using (var budget = new RunBudget(null, CancellationToken.None))
                using (FillBudget.Use(budget))
                {
                    // The woven budget checks need a budget in force (the engine runs fills on a fill thread under one).
                    _ = await entry(frame);
                }
                timed[5] = Timing.Since(t);
                timed[13] = (System.Runtime.JitInfo.GetCompilationTime(currentThread: true) - jit).TotalMilliseconds;

                t = Stopwatch.GetTimestamp();
                context.Unload();
                timed[6] = Timing.Since(t);

                t = Stopwatch.GetTimestamp();
                _ = await fill.EngineAsync(session, publicBindings);
                timed[7] = Timing.Since(t);

                t = Stopwatch.GetTimestamp();
                var bare = FillCompiler.CompileAsync(request with { Variables = [] }, rules, "benchmark", CancellationToken.None).GetAwaiter().GetResult();
                timed[8] = Timing.Since(t);
                Expect(bare.IsAccepted, fill, "rejected without session variables");

                var floorStages = new double[5];
                _ = await fill.FloorAsync(floor, values, floorStages);
                floorStages.AsSpan(0, 4).CopyTo(timed.AsSpan(9));
                timed[14] = floorStages[4];

                timed[15] = Emit(minimal.AddSyntaxTrees(FloorPath.Parse(fill.ResultTypeName, fill.Code)));

                // What weaving the budget checks costs, on the image the engine emitted for this fill (unwoven).
                var unwoven = FillCompiler.CompileAsync(request, rules, "benchmark", CancellationToken.None, weave: false).GetAwaiter().GetResult().Fill!.Image;
                t = Stopwatch.GetTimestamp();
                _ = FillWeaver.Weave(unwoven);
                timed[16] = Timing.Since(t);

                if (round >= warmupRounds)
                {
                    for (var i = 0; i < timed.Length; i++)
                    {
                        samples[i].Add(timed[i]);
                    }
                }
            }
        }

        double Mean(int i) => samples[i].Mean;
        var compile = Mean(3);
        Console.WriteLine("   stage (ms per fill)                                          mean      p50");
        for (var i = 0; i < s_stages.Length; i++)
        {
            Console.WriteLine($"   {s_stages[i],-58} {Timing.Ms(Mean(i)),8} {Timing.Ms(samples[i].P50),8}");
        }

        var engineParts = compile + Mean(4) + Mean(5) + Mean(6);
        var floorTotal = Mean(9) + Mean(10) + Mean(11) + Mean(12);
        Console.WriteLine();
        Console.WriteLine($"   Compile = source {Share(0)} + max(verify {Share(1)}, emit {Share(2)}) + weave {Share(16)} + rest {Timing.Ms(compile - Mean(0) - Math.Max(Mean(1), Mean(2)) - Mean(16))} ms (declared types, data flow, nested sites, thread hops)");
        Console.WriteLine($"   engine: Compile + load + run + unload = {Timing.Ms(engineParts)} ms; ExecuteAsync adds {Timing.Ms(Mean(7) - engineParts)} ms (snapshot, frame, commit)");
        Console.WriteLine($"   floor:  compile + load + run + unload = {Timing.Ms(floorTotal)} ms");
        Console.WriteLine($"   {visible.Count} session variables cost {Timing.Ms(compile - Mean(8))} ms of Compile");
        Console.WriteLine($"   JIT of the loaded fill: engine {Timing.Ms(Mean(13))} ms, floor {Timing.Ms(Mean(14))} ms;" +
            $" compiling against {minimal.References.Count()} references instead of {template.References.Count()}: {Timing.Ms(Mean(15))} ms instead of {Timing.Ms(Mean(9))} ms");


        // The compile of the fill = parse (with the engine's rewrite) + bind + emit, as the floor's compile is.
        var fillCompile = Mean(0) + Mean(2);
        var verifierShare = Mean(18) / fillCompile;
        Console.WriteLine($"   verifier: {Timing.Ms(Mean(18))} ms on the bound fill = {Timing.F(100 * verifierShare, "F1")}% of the fill's compile " +
            $"(source {Timing.Ms(Mean(0))} + bind and emit {Timing.Ms(Mean(2))} ms; target <= {VerifierTarget * 100:0}%); " +
            $"with the binding it asks for ({Timing.Ms(Mean(17))} ms), {Timing.Ms(Mean(1))} ms = {Timing.F(100 * Mean(1) / fillCompile, "F0")}%, on the other core");
        summary.Check("verifier / compile of the same fill (rules on the bound fill)", Timing.F(100 * verifierShare, "F1") + "%", $"<= {VerifierTarget * 100:0}%",
            verifierShare <= VerifierTarget);
        summary.Figure("verifier with its own binding / compile of the same fill", Timing.F(100 * Mean(1) / fillCompile, "F0") + "%");

        summary.Figure("stages engine Compile / load / run / unload (ms)", $"{Timing.Ms(compile)} / {Timing.Ms(Mean(4))} / {Timing.Ms(Mean(5))} / {Timing.Ms(Mean(6))}");
        summary.Figure("stages engine source / verify / emit (ms)", $"{Timing.Ms(Mean(0))} / {Timing.Ms(Mean(1))} / {Timing.Ms(Mean(2))}");
        summary.Figure("stages floor compile / load / run / unload (ms)", $"{Timing.Ms(Mean(9))} / {Timing.Ms(Mean(10))} / {Timing.Ms(Mean(11))} / {Timing.Ms(Mean(12))}");

        string Share(int i) => $"{Timing.Ms(Mean(i))} ms ({Timing.F(100 * Mean(i) / compile, "F0")}%)";
    }

    private static double Emit(Compilation compilation)
    {
        using var image = new MemoryStream();
        var t = Stopwatch.GetTimestamp();
        var result = compilation.Emit(image);
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
