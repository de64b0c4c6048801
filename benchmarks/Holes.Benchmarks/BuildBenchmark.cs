using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using Holes.Analyzers;
using Holes.Effects;
using Holes.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Holes.Benchmarks;

/// <summary>
/// What the Holes generator and analyzers add to a build: the generated 500-file application
/// (<see cref="GeneratedProject"/>), without holes and with 200, compiled in this process with Roslyn the way
/// <c>dotnet build</c> compiles it (parse, bind, emit with a portable PDB), once as is and once with the
/// <see cref="HoleSiteGenerator"/> run first, the Holes analyzers run on the result, and the effect-table build step
/// (<see cref="AssemblyEffects"/>) run on the emitted image, as MSBuild runs it after CoreCompile. The two builds alternate
/// (the one that goes first alternates too), every build starts from fresh syntax trees, and the figure is the ratio of
/// the medians of this process's CPU time (wall-clock time, printed beside it, moves far more when other processes
/// compete for the cores). Then the incremental case: a <see cref="CSharpGeneratorDriver"/> that has seen the program reruns after
/// an edit to one method body in the file with 20 holes, as it does in the IDE on every keystroke.
/// </summary>
internal static class BuildBenchmark
{
    public const double NoHolesTarget = 0.05;
    public const double HolesTarget = 0.10;
    public const double RerunTargetMs = 20;

    internal static readonly CSharpParseOptions s_parseOptions = new CSharpParseOptions(LanguageVersion.Latest)
        .WithFeatures([new KeyValuePair<string, string>("InterceptorsNamespaces", "Holes.Generated")]);

    // What `dotnet build` compiles by default: Debug, nullable enabled, one thread per core.
    internal static readonly CSharpCompilationOptions s_options = new(
        OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Debug,
        nullableContextOptions: NullableContextOptions.Enable,
        concurrentBuild: true);

    internal static readonly ImmutableArray<DiagnosticAnalyzer> s_doNothing = [new DoNothingAnalyzer()];
    private static bool s_floorFirst;

    private static readonly EmitOptions s_emitOptions = new(debugInformationFormat: DebugInformationFormat.PortablePdb);

    public static async Task RunAsync(int warmupRounds, int rounds, int edits, Summary summary)
    {
        var references = References();
        var analyzers = Analyzers();
        Console.WriteLine($"== Build: {GeneratedProject.FileCount} generated files, {references.Length} references (the runtime's trusted platform assemblies + Holes.dll), " +
            $"analyzers {string.Join(", ", analyzers.Select(a => a.GetType().Name))}");
        Console.WriteLine($"   {warmupRounds} warm-up rounds, then {rounds} timed rounds of both builds, alternating; medians");

        foreach (var withHoles in new[] { false, true })
        {
            var sources = Enumerable.Range(0, GeneratedProject.FileCount).Select(i => GeneratedProject.Source(i, withHoles)).ToArray();
            var lines = sources.Sum(s => s.Count(c => c == '\n'));
            var holes = GeneratedProject.TotalHoles(withHoles);
            Console.WriteLine();
            Console.WriteLine($"   -- {holes} holes: {sources.Length} files, {lines:N0} lines; {Timing.LoadNote()}");

            var plain = new List<BuildTimes>();
            var with = new List<BuildTimes>();
            for (var round = 0; round < warmupRounds + rounds; round++)
            {
                for (var k = 0; k < 2; k++)
                {
                    var withHolesTools = (round + k) % 2 == 1;
                    var times = await BuildAsync(sources, references, withHolesTools ? analyzers : null, expectedHoles: holes);
                    if (round >= warmupRounds)
                    {
                        (withHolesTools ? with : plain).Add(times);
                    }
                }
            }

            var p = BuildTimes.Median(plain);
            var w = BuildTimes.Median(with);
            var overhead = (w.Total / p.Total) - 1;
            var cpuOverhead = (w.Cpu / p.Cpu) - 1;
            var target = withHoles ? HolesTarget : NoHolesTarget;
            Console.WriteLine("      build (median ms)           total      cpu    parse   generator  analyzers     emit  effects");
            Console.WriteLine($"      {"plain",-24} {p}");
            Console.WriteLine($"      {"with Holes",-24} {w}");
            Console.WriteLine($"      generator + analyzers + effects step add {Timing.Pct(cpuOverhead)} cpu, {Timing.Pct(overhead)} wall  (target <= {Timing.Pct(target)}, judged on cpu)  {(cpuOverhead <= target ? "PASS" : "MISS")}");
            Console.WriteLine($"      of the plain build: generator {Timing.Pct(w.Generator / p.Total)}, analyzers {Timing.Pct(w.Analyzers / p.Total)}, effects step {Timing.Pct(w.Effects / p.Total)} " +
                $"(cpu {Timing.Pct(w.EffectsCpu / p.Cpu)}); plain build min/max {Timing.F(plain.Min(t => t.Total), "F0")}/{Timing.F(plain.Max(t => t.Total), "F0")} ms");
            EffectsProcess(sources, references, holes);

            summary.Figure($"build {holes} holes: plain / with Holes (ms)", $"{Timing.F(p.Total, "F0")} / {Timing.F(w.Total, "F0")}");
            summary.Figure($"build {holes} holes: generator / analyzers / effects step (ms)", $"{Timing.F(w.Generator, "F0")} / {Timing.F(w.Analyzers, "F0")} / {Timing.F(w.Effects, "F0")}");
            summary.Check($"build {holes} holes: Holes adds (cpu; wall {Timing.Pct(overhead)})", Timing.Pct(cpuOverhead), $"<= {Timing.Pct(target)}", cpuOverhead <= target);
        }

        Console.WriteLine();
        Rerun(references, edits, summary);
    }

    /// <summary>One build: parse every file, then either compile as is or run the generator and the analyzers first; then emit.</summary>
    private static async Task<BuildTimes> BuildAsync(string[] sources, ImmutableArray<MetadataReference> references, ImmutableArray<DiagnosticAnalyzer>? analyzers, int expectedHoles)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var t0 = Stopwatch.GetTimestamp();
        var trees = Parse(sources);
        Compilation compilation = CSharpCompilation.Create("Shop", trees, references, s_options);
        var parse = Timing.Since(t0);

        double generator = 0, analysis = 0, analysisRaw = 0, analysisFloor = 0, excludedWall = 0, excludedCpu = 0;
        ImmutableArray<Diagnostic> reported = [];
        GeneratorRunResult? run = null;
        if (analyzers is { } holesAnalyzers)
        {
            var t1 = Stopwatch.GetTimestamp();
            var driver = CSharpGeneratorDriver.Create([new HoleSiteGenerator().AsSourceGenerator()], parseOptions: s_parseOptions)
                .RunGeneratorsAndUpdateCompilation(compilation, out compilation, out _);
            generator = Timing.Since(t1);
            run = driver.GetRunResult().Results[0];

            // CompilationWithAnalyzers first compiles every method body again to produce the compilation events analyzers
            // run on; in a real build those events come from the build's own compile. So the analyzers' cost is what
            // running them takes beyond what a do-nothing analyzer takes on the same compilation (alternating which
            // goes first); the do-nothing run is not part of the build's total.
            var floorFirst = s_floorFirst;
            s_floorFirst = !s_floorFirst;
            (double Wall, double Cpu, ImmutableArray<Diagnostic> Diagnostics) floor = default;
            if (floorFirst)
            {
                floor = await AnalyzeAsync(compilation, s_doNothing);
            }

            var holes = await AnalyzeAsync(compilation, holesAnalyzers);
            if (!floorFirst)
            {
                floor = await AnalyzeAsync(compilation, s_doNothing);
            }

            reported = holes.Diagnostics;
            (analysisRaw, analysisFloor) = (holes.Wall, floor.Wall);
            analysis = Math.Max(0, holes.Wall - floor.Wall);
            var analysisCpu = Math.Max(0, holes.Cpu - floor.Cpu);
            excludedWall = floor.Wall + holes.Wall - analysis;
            excludedCpu = floor.Cpu + holes.Cpu - analysisCpu;
        }

        var t3 = Stopwatch.GetTimestamp();
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var emitted = compilation.Emit(pe, pdb, options: s_emitOptions);
        var emit = Timing.Since(t3);

        // The build step MSBuild runs after CoreCompile: the table from the emitted image's IL, written into a copy of it.
        double effects = 0, effectsCpu = 0;
        EffectsOutcome? outcome = null;
        if (analyzers is not null && emitted.Success)
        {
            var cpu4 = Process.GetCurrentProcess().TotalProcessorTime;
            var t4 = Stopwatch.GetTimestamp();
            using var rewritten = new MemoryStream();
            using var rewrittenPdb = new MemoryStream();
            outcome = AssemblyEffects.Rewrite(pe.ToArray(), pdb.ToArray(), rewritten, rewrittenPdb, references);
            effects = Timing.Since(t4);
            effectsCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu4).TotalMilliseconds;
        }

        var total = Timing.Since(t0) - excludedWall;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds - excludedCpu;

        // Outside the timed region: the build must have succeeded and the generator must have done its work.
        if (!emitted.Success)
        {
            throw new InvalidOperationException("The generated project did not compile:\n" + string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10)));
        }

        if (run is { } result)
        {
            CheckGeneratorRun(result, expectedHoles);
            if (reported.Length > 0)
            {
                throw new InvalidOperationException("The Holes analyzers reported on the generated project:\n" + string.Join('\n', reported.Take(10)));
            }

            var expected = expectedHoles > 0 ? outcome == EffectsOutcome.Written : outcome is EffectsOutcome.NoHoles or EffectsOutcome.NoHolesReference;
            if (!expected)
            {
                throw new InvalidOperationException($"The effects step's outcome was {outcome} for a program with {expectedHoles} holes.");
            }
        }

        return new BuildTimes(total, cpu, parse, generator, analysis, emit, analysisRaw, analysisFloor, effects, effectsCpu);
    }

    private static async Task<(double Wall, double Cpu, ImmutableArray<Diagnostic> Diagnostics)> AnalyzeAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var t0 = Stopwatch.GetTimestamp();
        var diagnostics = await compilation.WithAnalyzers(analyzers, new AnalyzerOptions([])).GetAnalyzerDiagnosticsAsync();
        return (Timing.Since(t0), (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds, diagnostics);
    }

    internal static void CheckGeneratorRun(GeneratorRunResult result, int expectedHoles)
    {
        if (result.Exception is not null || result.Diagnostics.Length > 0)
        {
            throw new InvalidOperationException($"The generator failed: {result.Exception?.ToString() ?? string.Join('\n', result.Diagnostics)}");
        }

        var hints = result.GeneratedSources.Select(s => s.HintName).ToHashSet(StringComparer.Ordinal);
        var intercepted = result.GeneratedSources.Where(s => s.HintName == "Holes.Interceptors.g.cs")
            .Sum(s => CountOccurrences(s.SourceText.ToString(), "[global::System.Runtime.CompilerServices.InterceptsLocation("));
        if (intercepted != expectedHoles)
        {
            throw new InvalidOperationException($"The generator intercepted {intercepted} of {expectedHoles} holes; generated: {string.Join(", ", hints)}");
        }
    }

    /// <summary>
    /// The IDE case: the driver has seen the program once; one method body of the file with 20 holes is edited (a
    /// number in <c>OrderService0.Summary</c>, outside any hole), and the generator reruns. Also, informational, an
    /// edit of one hole's task text, which changes a site and so regenerates the interceptors.
    /// </summary>
    private static void Rerun(ImmutableArray<MetadataReference> references, int edits, Summary summary)
    {
        Console.WriteLine($"   -- generator rerun after an edit in the file with {GeneratedProject.HolesInHoleFile} holes ({edits} edits of each kind, after 3 untimed); {Timing.LoadNote()}");
        var sources = Enumerable.Range(0, GeneratedProject.FileCount).Select(i => GeneratedProject.Source(i, withHoles: true)).ToArray();
        Compilation compilation = CSharpCompilation.Create("Shop", Parse(sources), references, s_options);
        var path = GeneratedProject.Path(GeneratedProject.HoleFile);
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);

        GeneratorDriver driver = CSharpGeneratorDriver.Create([new HoleSiteGenerator().AsSourceGenerator()], parseOptions: s_parseOptions);
        var t0 = Stopwatch.GetTimestamp();
        driver = driver.RunGenerators(compilation);
        var first = Timing.Since(t0);
        CheckGeneratorRun(driver.GetRunResult().Results[0], GeneratedProject.TotalHoles(true));

        var bodyEdits = new Samples();
        var taskEdits = new Samples();
        for (var n = 0; n < 3 + edits; n++)
        {
            for (var kind = 0; kind < 2; kind++)
            {
                // The edit itself (and the incremental reparse the IDE does for its own sake) is outside the timed region.
                var text = tree.GetText();
                var number = (41 + n).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var change = kind == 0
                    ? Edit(text, GeneratedProject.BodyEditAnchor, ';', number)
                    : Edit(text, GeneratedProject.TaskEditAnchor, ')', number);
                var edited = tree.WithChangedText(text.WithChanges(change));
                _ = edited.GetRoot();
                compilation = compilation.ReplaceSyntaxTree(tree, edited);
                tree = edited;

                var t1 = Stopwatch.GetTimestamp();
                driver = driver.RunGenerators(compilation);
                var elapsed = Timing.Since(t1);
                if (n >= 3)
                {
                    (kind == 0 ? bodyEdits : taskEdits).Add(elapsed);
                }
            }
        }

        CheckGeneratorRun(driver.GetRunResult().Results[0], GeneratedProject.TotalHoles(true));
        Console.WriteLine($"      first run (whole program)           {Timing.Ms(first),9} ms");
        Console.WriteLine($"      rerun after a method-body edit, p50 {Timing.Ms(bodyEdits.P50),9} ms  (min {Timing.Ms(bodyEdits.Min)}, max {Timing.Ms(bodyEdits.Max)})  (target <= {RerunTargetMs:0} ms)  {(bodyEdits.P50 <= RerunTargetMs ? "PASS" : "MISS")}");
        Console.WriteLine($"      rerun after a hole's task edit, p50 {Timing.Ms(taskEdits.P50),9} ms  (min {Timing.Ms(taskEdits.Min)}, max {Timing.Ms(taskEdits.Max)})");

        summary.Figure("build: generator first run, 200 holes (ms)", Timing.Ms(first));
        summary.Check("build: generator rerun after a body edit p50 (ms)", Timing.Ms(bodyEdits.P50), $"<= {RerunTargetMs:0}", bodyEdits.P50 <= RerunTargetMs);
        summary.Figure("build: generator rerun after a task edit p50 (ms)", Timing.Ms(taskEdits.P50));
    }

    /// <summary>
    /// Informational: the effects step as MSBuild runs it, a process of its own (<c>dotnet exec Holes.Effects.dll</c>)
    /// that starts, JIT-compiles Roslyn's metadata reader and Mono.Cecil, reads the image and its references from disk
    /// and writes it back. Once, untimed by the rounds above: what the in-process figure leaves out.
    /// </summary>
    private static void EffectsProcess(string[] sources, ImmutableArray<MetadataReference> references, int holes)
    {
        var directory = Directory.CreateTempSubdirectory("holes-effects-bench-");
        try
        {
            var compilation = CSharpCompilation.Create("Shop", Parse(sources), references, s_options);
            if (holes > 0)
            {
                CSharpGeneratorDriver.Create([new HoleSiteGenerator().AsSourceGenerator()], parseOptions: s_parseOptions)
                    .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);
                compilation = (CSharpCompilation)generated;
            }

            var image = Path.Combine(directory.FullName, "Shop.dll");
            using (var pe = File.Create(image))
            using (var pdb = File.Create(Path.ChangeExtension(image, ".pdb")))
            {
                compilation.Emit(pe, pdb, options: s_emitOptions);
            }

            var rsp = Path.Combine(directory.FullName, "references.rsp");
            File.WriteAllLines(rsp, references.OfType<PortableExecutableReference>().Select(r => r.FilePath!));

            // Holes.Effects.dll is copied beside the benchmark with its runtime config, deps file and dependencies (Roslyn,
            // Mono.Cecil), as the package ships it.
            var t0 = Stopwatch.GetTimestamp();
            var run = ChildProcess.RunAsync(null, null, "dotnet", "exec", Path.Combine(AppContext.BaseDirectory, "Holes.Effects.dll"), image, "@" + rsp)
                .GetAwaiter().GetResult();
            var wall = Timing.Since(t0);
            Console.WriteLine($"      effects step as its own process (dotnet exec, once): {Timing.F(wall, "F0")} ms wall, {Timing.F(run.CpuMs, "F0")} ms cpu; exit {run.ExitCode}: {run.Output.Trim()}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The dotnet host, as MSBuild's Exec runs the tool: DOTNET_HOST_PATH when set, else the host beside the shared
    /// framework this process runs on (under <c>dotnet run</c> this process is the benchmark's apphost, not dotnet).
    /// </summary>
    internal static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host)
        {
            return host;
        }

        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }

    /// <summary>Replaces what follows the first <paramref name="anchor"/> up to <paramref name="until"/> with <paramref name="replacement"/>.</summary>
    private static TextChange Edit(SourceText text, string anchor, char until, string replacement)
    {
        var content = text.ToString();
        var at = content.IndexOf(anchor, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException($"'{anchor}' is not in the file any more.");
        }

        var start = at + anchor.Length;
        return new TextChange(new TextSpan(start, content.IndexOf(until, start) - start), replacement);
    }

    internal static SyntaxTree[] Parse(string[] sources)
    {
        // The compiler parses the files of a project in parallel too.
        var trees = new SyntaxTree[sources.Length];
        Parallel.For(0, sources.Length, i => trees[i] = CSharpSyntaxTree.ParseText(
            SourceText.From(sources[i], Encoding.UTF8), s_parseOptions, GeneratedProject.Path(i)));
        return trees;
    }

    /// <summary>
    /// The runtime's own assemblies as the trusted platform list gives them (the implementation assemblies a program
    /// runs on, not reference assemblies) and Holes.dll. The same reference objects serve every build, so metadata is
    /// read once, as in the compiler server.
    /// </summary>
    internal static ImmutableArray<MetadataReference> References()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDirectory, StringComparison.Ordinal) && p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Append(typeof(Agents).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return [.. paths.Where(IsManaged).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static bool IsManaged(string path)
    {
        try
        {
            _ = AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    /// <summary>Every analyzer the Holes.Analyzers assembly declares, as the package would load them.</summary>
    internal static ImmutableArray<DiagnosticAnalyzer> Analyzers() =>
    [
        .. typeof(HoleCallAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!),
    ];

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>One build's times in ms: wall clock, this process's CPU time, and the wall-clock stages.</summary>
    private sealed record BuildTimes(double Total, double Cpu, double Parse, double Generator, double Analyzers, double Emit, double AnalyzersRaw, double AnalyzerFloor, double Effects, double EffectsCpu)
    {
        public static BuildTimes Median(List<BuildTimes> runs)
        {
            static double M(IEnumerable<double> values) => Samples.Median(values);

            return new(M(runs.Select(r => r.Total)), M(runs.Select(r => r.Cpu)), M(runs.Select(r => r.Parse)),
                M(runs.Select(r => r.Generator)), M(runs.Select(r => r.Analyzers)), M(runs.Select(r => r.Emit)),
                M(runs.Select(r => r.AnalyzersRaw)), M(runs.Select(r => r.AnalyzerFloor)), M(runs.Select(r => r.Effects)), M(runs.Select(r => r.EffectsCpu)));
        }

        public override string ToString() =>
            $"{Timing.F(Total, "F0"),8} {Timing.F(Cpu, "F0"),8} {Timing.F(Parse, "F0"),8} {Timing.F(Generator, "F0"),11} {Timing.F(Analyzers, "F0"),10} {Timing.F(Emit, "F0"),8} {Timing.F(Effects, "F0"),8}" +
            (AnalyzersRaw > 0 ? $"   (analyzers {Timing.F(AnalyzersRaw, "F0")} - do-nothing analyzer {Timing.F(AnalyzerFloor, "F0")})" : "");
    }
}

/// <summary>
/// An analyzer that looks at every invocation and does nothing: what <see cref="CompilationWithAnalyzers"/> costs for
/// any analyzer at all, which a real build does not pay (its compile produces the compilation events).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class DoNothingAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor s_never = new("BENCH001", "never reported", "never reported", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [s_never];

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(static _ => { }, Microsoft.CodeAnalysis.CSharp.SyntaxKind.InvocationExpression);
    }
}
