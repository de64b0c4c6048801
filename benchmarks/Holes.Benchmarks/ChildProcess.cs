using System.Diagnostics;

namespace Holes.Benchmarks;

/// <summary>
/// Runs a command and reports the CPU time it and its descendants used: the command runs under <c>sh</c>, whose
/// <c>times</c> prints, after the command exits, the user and system time of the children it waited for (a process
/// that has exited can no longer be asked for its own).
/// </summary>
internal static class ChildProcess
{
    /// <summary>What a command printed and how long it and its children ran on the CPU.</summary>
    public sealed record Result(int ExitCode, string Output, string Errors, double CpuMs);

    /// <param name="directory">The working directory, or <see langword="null"/> for this process's.</param>
    /// <param name="environment">Variables set for the command (and its children).</param>
    /// <param name="command">The command and its arguments; <c>dotnet</c> is resolved as MSBuild resolves it.</param>
    public static async Task<Result> RunAsync(string? directory, IReadOnlyDictionary<string, string>? environment, params string[] command)
    {
        var start = new ProcessStartInfo("sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (directory is not null)
        {
            start.WorkingDirectory = directory;
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("\"$0\" \"$@\"; code=$?; times >&2; exit $code");
        start.ArgumentList.Add(command[0] == "dotnet" ? BuildBenchmark.DotnetHost() : command[0]);
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        // The last line of 'times' is the children's user and system time, e.g. "0m41.234s 0m2.210s".
        var lines = (await errors).TrimEnd().Split('\n');
        var cpu = lines[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Sum(ShellSeconds) * 1000;
        return new Result(process.ExitCode, await output, string.Join('\n', lines[..^1]), cpu);
    }

    /// <summary>A time as the shell's <c>times</c> prints it (<c>1m2.500s</c>), in seconds; 0 for anything else.</summary>
    private static double ShellSeconds(string text)
    {
        var m = text.IndexOf('m', StringComparison.Ordinal);
        return m > 0 && text.EndsWith('s') &&
               double.TryParse(text.AsSpan(0, m), System.Globalization.CultureInfo.InvariantCulture, out var minutes) &&
               double.TryParse(text.AsSpan(m + 1, text.Length - m - 2), System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? (minutes * 60) + seconds
            : 0;
    }
}
