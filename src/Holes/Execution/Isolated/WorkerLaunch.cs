using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Holes.Execution.Isolated;

/// <summary>
/// How a worker process is started: where Holes.Worker.dll and the host's <c>dotnet</c> are, and, on Linux where
/// bubblewrap works, the sandbox around it.
/// </summary>
internal static class WorkerLaunch
{
    public const string WorkerFileName = "Holes.Worker.dll";

    private static readonly Lazy<string?> s_bwrap = new(ProbeSandbox, LazyThreadSafetyMode.ExecutionAndPublication);
    private static volatile bool s_sandboxFailed;

    /// <summary>Holes.Worker.dll: beside the application (the package's build targets copy it there), else beside Holes.dll.</summary>
    public static string FindWorker(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : throw Missing([explicitPath]);
        }

        var candidates = new List<string> { Path.Combine(AppContext.BaseDirectory, WorkerFileName) };
        if (Path.GetDirectoryName(typeof(WorkerLaunch).Assembly.Location) is { Length: > 0 } holesDirectory)
        {
            candidates.Add(Path.Combine(holesDirectory, WorkerFileName));
        }

        return candidates.FirstOrDefault(File.Exists) is { } found ? Path.GetFullPath(found) : throw Missing(candidates);
    }

    private static InvalidOperationException Missing(IEnumerable<string> looked) => new(
        "HoleIsolation.Process needs the Holes worker (" + WorkerFileName + ") beside the application, and it is not there (looked for " +
        string.Join(", ", looked) + "). The Holes package's build targets copy it into the output directory; in a single-file or trimmed " +
        "publish, publish it beside the executable, or use HoleIsolation.InProcess.");

    /// <summary>The folder that holds the runtime this process runs on (its <c>dotnet</c> muxer and shared frameworks).</summary>
    public static string DotnetRoot { get; } = FindDotnetRoot();

    public static string Muxer => Path.Combine(DotnetRoot, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");

    /// <summary>The bwrap executable when it exists and a sandbox with user namespaces starts here; probed once per process.</summary>
    public static string? Bubblewrap => s_sandboxFailed ? null : s_bwrap.Value;

    /// <summary>Called when a sandboxed worker failed to start though the probe passed: later workers start as plain child processes.</summary>
    public static void SandboxFailed() => s_sandboxFailed = true;

    public static ProcessStartInfo Create(string workerPath, HoleOptions options, IEnumerable<string> readableDirectories, bool sandbox)
    {
        var environment = Environment(options);
        var workerArguments = new List<string> { "exec", workerPath };
        ProcessStartInfo start;
        if (sandbox && Bubblewrap is { } bwrap)
        {
            start = new ProcessStartInfo(bwrap);
            foreach (var argument in SandboxArguments(environment, readableDirectories.Append(Path.GetDirectoryName(workerPath)!)))
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add("--");
            start.ArgumentList.Add(Muxer);
        }
        else
        {
            start = new ProcessStartInfo(Muxer);
            if (!OperatingSystem.IsWindows())
            {
                start.Environment.Clear();
            }

            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        foreach (var argument in workerArguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.CreateNoWindow = true;
        start.WorkingDirectory = OperatingSystem.IsWindows() ? Path.GetTempPath() : "/tmp";
        return start;
    }

    /// <summary>Everything the worker's runtime needs, and nothing of the host's own environment (no secrets).</summary>
    private static List<(string Name, string Value)> Environment(HoleOptions options)
    {
        var list = new List<(string, string)>
        {
            ("DOTNET_ROOT", DotnetRoot),
            ("DOTNET_GCHeapHardLimit", "0x" + options.WorkerMemoryLimit.ToString("x", CultureInfo.InvariantCulture)),
            ("DOTNET_gcServer", "0"),
            ("DOTNET_EnableDiagnostics", "0"),
            ("DOTNET_CLI_TELEMETRY_OPTOUT", "1"),
        };
        if (!OperatingSystem.IsWindows())
        {
            list.Add(("HOME", "/tmp"));
            list.Add(("TMPDIR", "/tmp"));
            list.Add(("PATH", "/usr/bin:/bin"));
        }

        foreach (var name in new[] { "LANG", "LC_ALL", "TZ" })
        {
            if (System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                list.Add((name, value));
            }
        }

        return list;
    }

    private static List<string> SandboxArguments(IEnumerable<(string Name, string Value)> environment, IEnumerable<string> readableDirectories)
    {
        var arguments = new List<string>
        {
            "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
            "--proc", "/proc", "--dev", "/dev",
            // The private /tmp first: directories bound below may live under the host's /tmp.
            "--tmpfs", "/tmp",
        };
        foreach (var (name, value) in environment)
        {
            arguments.AddRange(["--setenv", name, value]);
        }

        arguments.AddRange(SystemMounts());
        var bound = new List<string> { "/usr" };
        foreach (var directory in readableDirectories.Append(DotnetRoot).Select(d => Path.GetFullPath(d).TrimEnd('/')).Distinct().OrderBy(d => d.Length))
        {
            if (directory.Length == 0 || !Directory.Exists(directory) || bound.Any(b => directory == b || directory.StartsWith(b + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            bound.Add(directory);
            arguments.AddRange(["--ro-bind", directory, directory]);
        }

        arguments.AddRange(["--chdir", "/tmp"]);
        return arguments;
    }

    /// <summary>The system's libraries, read-only; merged-/usr links stay links.</summary>
    private static IEnumerable<string> SystemMounts()
    {
        yield return "--ro-bind";
        yield return "/usr";
        yield return "/usr";
        foreach (var top in new[] { "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin" })
        {
            var info = new FileInfo(top);
            if (info.LinkTarget is { } target)
            {
                yield return "--symlink";
                yield return target;
                yield return top;
            }
            else if (Directory.Exists(top))
            {
                yield return "--ro-bind";
                yield return top;
                yield return top;
            }
        }

        foreach (var file in new[] { "/etc/ld.so.cache", "/etc/localtime", "/etc/timezone" })
        {
            yield return "--ro-bind-try";
            yield return file;
            yield return file;
        }
    }

    private static string? ProbeSandbox()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var bwrap = (System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Select(d => Path.Combine(d, "bwrap")).FirstOrDefault(File.Exists);
        var check = new[] { "/usr/bin/true", "/bin/true" }.FirstOrDefault(File.Exists);
        if (bwrap is null || check is null)
        {
            return null;
        }

        try
        {
            var start = new ProcessStartInfo(bwrap) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in SandboxArguments([], []))
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add("--");
            start.ArgumentList.Add(check);
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            if (!process.WaitForExit(10_000))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            return process.ExitCode == 0 ? bwrap : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string FindDotnetRoot()
    {
        // .../shared/Microsoft.NETCore.App/<version>/ → the root three levels up holds the muxer.
        var runtime = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(runtime)));
        var muxer = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (root is not null && File.Exists(Path.Combine(root, muxer)))
        {
            return root;
        }

        if (System.Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } fromEnvironment && File.Exists(Path.Combine(fromEnvironment, muxer)))
        {
            return fromEnvironment;
        }

        return Path.GetDirectoryName(System.Environment.ProcessPath) ?? "";
    }
}
