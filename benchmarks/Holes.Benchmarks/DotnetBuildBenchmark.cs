using System.Diagnostics;
using System.Globalization;

namespace Holes.Benchmarks;

/// <summary>
/// What the Holes package adds to a full <c>dotnet build</c> of the generated 500-file application
/// (<see cref="GeneratedProject"/>), as a developer who references the package gets it: the same sources, built once
/// against Holes.dll alone (a plain assembly reference: no generator, analyzers or build step) and once with a
/// <c>PackageReference</c> to the package this repository packs, with everything it brings into a build (the
/// generator, the analyzers, the effect-table step after CoreCompile, its targets and its dependencies). Each round
/// builds both from a clean output (bin and obj/Debug removed, the restore kept), alternating which goes first, without
/// MSBuild node reuse, once without the compiler server (every process of the build is a child: what a CI machine pays,
/// the compiler JIT-compiled each time) and once with it (the compile runs in VBCSCompiler, warm after the untimed
/// round: what a developer's machine pays; the effects step then runs in its own shared server, warm too), the CPU time
/// being the build's process tree (the shell's <c>times</c>) plus what the servers used meanwhile. The figure is the ratio of the medians of that CPU time.
/// </summary>
/// <remarks>
/// <see cref="BuildBenchmark"/> times the same work inside one process with the compiler alone (no MSBuild, no SDK
/// analyzers or generators, a warm compiler): a far smaller denominator, kept as the stage-by-stage breakdown.
/// </remarks>
internal static class DotnetBuildBenchmark
{
    // Every process of a build is a child of this one: no MSBuild server, no node reuse.
    private static readonly Dictionary<string, string> s_noServers = new()
    {
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["MSBUILDDISABLENODEREUSE"] = "1",
    };

    public static async Task RunAsync(int rounds, Summary summary)
    {
        var root = RepositoryRoot();
        if (root is null)
        {
            summary.Error("dotnet build", "run from the repository (Holes.sln not found above the benchmark)");
            return;
        }

        var work = Directory.CreateTempSubdirectory("holes-dotnet-build-");
        try
        {
            var version = "0.0.0-bench." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            var feed = Path.Combine(work.FullName, "feed");
            var packages = Path.Combine(work.FullName, "packages");
            Console.WriteLine($"== dotnet build: the {GeneratedProject.FileCount}-file application built by the SDK, against Holes.dll alone and with the Holes package; {rounds} rounds after one untimed, medians of CPU time");
            Console.WriteLine($"   packing Holes {version} from {root} ...");
            await RunAsync(work.FullName, "dotnet", "pack", Path.Combine(root, "src", "Holes"), "-c", "Release", "-o", feed, "-p:Version=" + version, "-nologo", "-v:q");
            var holesDll = Path.Combine(root, "src", "Holes", "bin", "Release", "net10.0", "Holes.dll");

            foreach (var withHoles in new[] { false, true })
            {
                var holes = GeneratedProject.TotalHoles(withHoles);
                var plain = WriteProject(Path.Combine(work.FullName, $"plain{holes}"), withHoles,
                    $"<Reference Include=\"{holesDll}\" />", packages);
                var package = WriteProject(Path.Combine(work.FullName, $"package{holes}"), withHoles,
                    $"<PackageReference Include=\"Holes\" Version=\"{version}\" />", packages);
                File.WriteAllText(Path.Combine(package, "nuget.config"),
                    $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"holes-bench\" value=\"{feed}\" />\n  </packageSources>\n</configuration>\n");
                await RunAsync(plain, "dotnet", "restore", "-nologo", "-v:q");
                await RunAsync(package, "dotnet", "restore", "-nologo", "-v:q");

                foreach (var server in new[] { false, true })
                {
                    await CompareAsync(plain, package, holes, withHoles, server, rounds, summary);
                }
            }
        }
        finally
        {
            await RunAsync(work.FullName, "dotnet", "build-server", "shutdown", "--vbcscompiler");
            foreach (var tool in Directory.EnumerateFiles(Path.Combine(work.FullName, "packages"), "Holes.Effects.dll", SearchOption.AllDirectories))
            {
                await RunAsync(work.FullName, "dotnet", "exec", tool, "--shutdown");
            }

            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Rounds of both builds. Without the compiler server every process of the build is a child of this one (what a CI
    /// machine pays, the compiler JIT-compiled every time); with it, the compile runs in the server, warm after the
    /// untimed round (what a developer's machine pays), and its CPU time is the server process's growth.
    /// </summary>
    private static async Task CompareAsync(string plain, string package, int holes, bool withHoles, bool server, int rounds, Summary summary)
    {
        var mode = server ? "compiler server" : "no compiler server";
        Console.WriteLine();
        Console.WriteLine($"   -- {holes} holes, {mode}; {Timing.LoadNote()}");
        // With holes, a third build: the package with its effect-table step switched off (HolesEffects=false), which
        // shows how much of what the package adds is the step and how much the generator, analyzers and targets.
        var variants = withHoles ? new[] { "plain", "package", "no step" } : ["plain", "package"];
        var times = variants.ToDictionary(v => v, _ => new List<(double Wall, double Cpu)>());
        for (var round = 0; round <= rounds; round++)
        {
            for (var i = 0; i < variants.Length; i++)
            {
                // Each round starts with another variant, so that none always builds first or last.
                var variant = variants[(round + i) % variants.Length];
                var measured = await BuildAsync(variant == "plain" ? plain : package, server, variant == "no step" ? "-p:HolesEffects=false" : null);
                if (withHoles && variant == "package" && !File.Exists(Path.Combine(package, "obj", "Debug", "net10.0", "Shop.holes-effects.stamp")))
                {
                    throw new InvalidOperationException("The package build did not run the effect-table step.");
                }

                if (round > 0)
                {
                    times[variant].Add(measured);
                }
            }
        }

        var plainTimes = times["plain"];
        var packageTimes = times["package"];
        var p = (Wall: Samples.Median(plainTimes.Select(t => t.Wall)), Cpu: Samples.Median(plainTimes.Select(t => t.Cpu)));
        var w = (Wall: Samples.Median(packageTimes.Select(t => t.Wall)), Cpu: Samples.Median(packageTimes.Select(t => t.Cpu)));
        var cpuOverhead = (w.Cpu / p.Cpu) - 1;
        var wallOverhead = (w.Wall / p.Wall) - 1;
        var target = withHoles ? BuildBenchmark.HolesTarget : BuildBenchmark.NoHolesTarget;
        Console.WriteLine($"      against Holes.dll   {Timing.F(p.Wall, "F0"),7} ms wall {Timing.F(p.Cpu, "F0"),7} ms cpu   (cpu runs: {string.Join(" ", plainTimes.Select(t => Timing.F(t.Cpu, "F0")))})");
        Console.WriteLine($"      with the package    {Timing.F(w.Wall, "F0"),7} ms wall {Timing.F(w.Cpu, "F0"),7} ms cpu   (cpu runs: {string.Join(" ", packageTimes.Select(t => Timing.F(t.Cpu, "F0")))})");
        Console.WriteLine($"      the package adds {Timing.Pct(cpuOverhead)} cpu, {Timing.Pct(wallOverhead)} wall  (target <= {Timing.Pct(target)}, judged on cpu)  {(cpuOverhead <= target ? "PASS" : "MISS")}");
        if (withHoles)
        {
            var noStep = Samples.Median(times["no step"].Select(t => t.Cpu));
            Console.WriteLine($"      package, step off   {Timing.F(Samples.Median(times["no step"].Select(t => t.Wall)), "F0"),7} ms wall {Timing.F(noStep, "F0"),7} ms cpu   (cpu runs: {string.Join(" ", times["no step"].Select(t => Timing.F(t.Cpu, "F0")))})");
            Console.WriteLine($"      of which the effect-table step {Timing.Pct((w.Cpu - noStep) / p.Cpu)} cpu, the rest (generator, analyzers, targets, dependencies) {Timing.Pct((noStep / p.Cpu) - 1)}");
            summary.Figure($"dotnet build {holes} holes, {mode}: the effect-table step / the rest of the package (cpu, share of the plain build)", $"{Timing.Pct((w.Cpu - noStep) / p.Cpu)} / {Timing.Pct((noStep / p.Cpu) - 1)}");
        }

        summary.Figure($"dotnet build {holes} holes, {mode}: against Holes.dll / with the package (cpu ms)", $"{Timing.F(p.Cpu, "F0")} / {Timing.F(w.Cpu, "F0")}");
        summary.Check($"dotnet build {holes} holes, {mode}: the package adds (cpu; wall {Timing.Pct(wallOverhead)})", Timing.Pct(cpuOverhead), $"<= {Timing.Pct(target)}", cpuOverhead <= target);
    }

    private static string WriteProject(string directory, bool withHoles, string reference, string packages)
    {
        Directory.CreateDirectory(directory);
        for (var i = 0; i < GeneratedProject.FileCount; i++)
        {
            File.WriteAllText(Path.Combine(directory, $"M{i}.cs"), GeneratedProject.Source(i, withHoles));
        }

        // Outside the repository's Directory.Build.props and central package management; packages restored into a
        // directory of the run's own, so the machine's cache never serves a stale build of the benchmark's version.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Shop.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <RestorePackagesPath>{packages}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                {reference}
              </ItemGroup>
            </Project>
            """);
        return directory;
    }

    /// <summary>One full build from a clean output: wall time, and the CPU time of the whole process tree.</summary>
    private static async Task<(double Wall, double Cpu)> BuildAsync(string project, bool server, string? property = null)
    {
        foreach (var output in new[] { Path.Combine(project, "bin"), Path.Combine(project, "obj", "Debug") })
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }

        var server0 = ServerCpu();
        var t0 = Stopwatch.GetTimestamp();
        string[] command = ["dotnet", "build", "--no-restore", "-nologo", "-v:q", "-nodeReuse:false", "-p:UseSharedCompilation=" + (server ? "true" : "false")];
        var run = await ChildProcess.RunAsync(project, s_noServers, property is null ? command : [.. command, property]);
        var wall = Timing.Since(t0);
        var serverCpu = ServerCpu() - server0;
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet build of {project} failed ({run.ExitCode}):\n{run.Output}\n{run.Errors}");
        }

        return (wall, run.CpuMs + serverCpu);
    }

    /// <summary>
    /// The CPU time the build servers have used so far, in ms: the compiler server (VBCSCompiler) and the effects
    /// step's shared server, which builds that use the compiler server hand their runs to; 0 when none runs.
    /// </summary>
    private static double ServerCpu()
    {
        double total = 0;
        foreach (var process in Process.GetProcessesByName("VBCSCompiler").Concat(Process.GetProcessesByName("dotnet").Where(IsEffectsServer)))
        {
            using (process)
            {
                try
                {
                    total += process.TotalProcessorTime.TotalMilliseconds;
                }
                catch (InvalidOperationException)
                {
                    // It exited in between.
                }
            }
        }

        return total;
    }

    private static bool IsEffectsServer(Process process)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{process.Id}/cmdline");
            return commandLine.Contains("Holes.Effects.dll", StringComparison.Ordinal) && commandLine.Contains("--serve", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            // Exited, or not Linux: the effects server is not counted there.
            return false;
        }
    }

    private static async Task RunAsync(string directory, params string[] command)
    {
        var run = await ChildProcess.RunAsync(directory, s_noServers, command);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{string.Join(' ', command)}' failed ({run.ExitCode}):\n{run.Output}\n{run.Errors}");
        }
    }

    private static string? RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Holes.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
