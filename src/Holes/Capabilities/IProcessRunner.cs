namespace Holes.Capabilities;

/// <summary>
/// Runs the programs the program allows, with arguments that match its patterns, and nothing else. No shell is
/// involved: each argument reaches the program as given, so quoting, pipes and <c>$(...)</c> mean nothing. Each run
/// has a timeout (the process and its children are killed) and its output is cut at a cap.
/// </summary>
[Capability]
public interface IProcessRunner
{
    /// <summary>The commands that may run, each with the patterns its arguments must match.</summary>
    IReadOnlyList<string> AllowedCommands { get; }

    /// <summary>Runs a command and waits for it to exit, or for the timeout.</summary>
    /// <param name="command">An allowed command: its full path, or its file name (e.g. <c>git</c>).</param>
    /// <param name="arguments">The arguments, one string each (no shell quoting); each must match the command's pattern.</param>
    /// <param name="standardInput">Text written to the process's standard input, which is then closed; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the run; the process is killed.</param>
    /// <returns>The exit code and the (capped) output; <see cref="ProcessResult.TimedOut"/> when it was killed at the timeout.</returns>
    /// <exception cref="CapabilityDeniedException">The command is not allowed, or an argument does not match its pattern; nothing was started.</exception>
    Task<ProcessResult> RunAsync(string command, IReadOnlyList<string> arguments, string? standardInput = null, CancellationToken cancellationToken = default);
}

/// <summary>How a process run ended.</summary>
/// <param name="ExitCode">The process's exit code; -1 when it was killed.</param>
/// <param name="StandardOutput">What it wrote to standard output, cut at the cap.</param>
/// <param name="StandardError">What it wrote to standard error, cut at the cap.</param>
/// <param name="TimedOut">Whether it was killed (with its child processes) because it ran past the timeout.</param>
/// <param name="Truncated">Whether either output was longer than the cap and was cut.</param>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut, bool Truncated);
