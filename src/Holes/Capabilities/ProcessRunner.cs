using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Holes.Capabilities;

/// <summary>
/// The <see cref="IProcessRunner"/> capability: runs allowed commands with allowed arguments, without a shell, with a
/// timeout and output caps. Hand it to a hole to let the fill run those commands; a fill can never construct one.
/// </summary>
/// <remarks>
/// Arguments go through <see cref="ProcessStartInfo.ArgumentList"/>, so each reaches the program as one argv entry.
/// On timeout or cancellation the whole process tree is killed. A process that detaches from its tree (a daemon
/// that double-forks) is out of reach of the kill; its output pipes are abandoned after a short grace period.
/// </remarks>
public sealed class ProcessRunner : IProcessRunner
{
    private static readonly string[] s_inherited = ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"];
    private static readonly TimeSpan s_drainGrace = TimeSpan.FromSeconds(2);
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly ProcessRunnerOptions _options;

    /// <summary>Creates a process runner.</summary>
    /// <param name="options">The allowed commands, timeout, caps and environment.</param>
    /// <exception cref="ArgumentException">No command is allowed, or a cap or the timeout is not positive.</exception>
    public ProcessRunner(ProcessRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Commands.Count == 0)
        {
            throw new ArgumentException("A ProcessRunner needs at least one allowed command (ProcessRunnerOptions.Commands).", nameof(options));
        }

        if (options.Timeout <= TimeSpan.Zero || options.MaxOutputChars <= 0)
        {
            throw new ArgumentException("ProcessRunnerOptions.Timeout and MaxOutputChars must be positive.", nameof(options));
        }

        _options = options;
    }

    /// <summary>A process runner for the given commands with the default timeout and caps.</summary>
    /// <param name="commands">The commands that may run.</param>
    /// <returns>The process runner.</returns>
    public static ProcessRunner For(params AllowedCommand[] commands) => new(new ProcessRunnerOptions { Commands = commands });

    /// <inheritdoc />
    public IReadOnlyList<string> AllowedCommands => [.. _options.Commands.Select(c => c.ToString())];

    /// <inheritdoc />
    public async Task<ProcessResult> RunAsync(string command, IReadOnlyList<string> arguments, string? standardInput = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(arguments);
        var allowed = Find(command);
        if (allowed.Refuse(arguments) is { } reason)
        {
            throw Denied(command, $"Not run: {reason} Allowed: {string.Join("; ", AllowedCommands)}.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var process = new Process { StartInfo = StartInfo(allowed, arguments) };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"'{allowed.Path}' could not be started: {ex.Message}. The program allowed it, but it is missing or not executable here.", ex);
        }

        using var timeout = new CancellationTokenSource(_options.Timeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var output = new OutputCapture(process.StandardOutput, _options.MaxOutputChars);
        var error = new OutputCapture(process.StandardError, _options.MaxOutputChars);

        // Written beside the wait, not before it: a process that never reads its input must still meet the timeout.
        var input = WriteInputAsync(process, standardInput, linked.Token);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            timedOut = true;
        }

        // The pipes close when the last process holding them exits; a detached grandchild may hold them open, so wait
        // a moment for the rest of the output and then keep what arrived.
        await Task.WhenAny(Task.WhenAll(output.Completion, error.Completion, input), Task.Delay(s_drainGrace, CancellationToken.None)).ConfigureAwait(false);
        var (stdout, outCut) = output.Snapshot();
        var (stderr, errCut) = error.Snapshot();
        return new ProcessResult(timedOut ? -1 : process.ExitCode, stdout, stderr, timedOut, outCut || errCut);
    }

    /// <summary>The grant in one line: shown as the value's preview in a hole's prompt.</summary>
    /// <returns>For example <c>ProcessRunner(/bin/echo (each argument: [a-z]+; at most 64); timeout 30s)</c>.</returns>
    public override string ToString() => $"ProcessRunner({string.Join("; ", AllowedCommands)}; timeout {_options.Timeout.TotalSeconds:0.###}s)";

    private AllowedCommand Find(string command)
    {
        var byPath = _options.Commands.FirstOrDefault(c => string.Equals(c.Path, command, StringComparison.Ordinal));
        if (byPath is not null)
        {
            return byPath;
        }

        var byName = _options.Commands.Where(c => string.Equals(Path.GetFileName(c.Path), command, StringComparison.Ordinal)).ToList();
        return byName.Count switch
        {
            1 => byName[0],
            0 => throw Denied(command, $"'{command}' is not a command this process runner may run; nothing was started. Allowed: {string.Join("; ", AllowedCommands)}."),
            _ => throw Denied(command, $"'{command}' names more than one allowed command; give the full path: {string.Join(", ", byName.Select(c => c.Path))}."),
        };
    }

    private ProcessStartInfo StartInfo(AllowedCommand command, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(command.Path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            StandardOutputEncoding = s_utf8,
            StandardErrorEncoding = s_utf8,
            StandardInputEncoding = s_utf8,
            WorkingDirectory = _options.WorkingDirectory ?? "",
        };

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (!_options.InheritEnvironment)
        {
            var kept = s_inherited.Where(info.Environment.ContainsKey).ToDictionary(k => k, k => info.Environment[k]);
            info.Environment.Clear();
            foreach (var (name, value) in kept)
            {
                info.Environment[name] = value;
            }
        }

        foreach (var (name, value) in _options.Environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static async Task WriteInputAsync(Process process, string? input, CancellationToken cancellationToken)
    {
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
                await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The process exited, was killed or closed its input before reading it all: its output says what happened.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
    }

    private static CapabilityDeniedException Denied(string command, string message) => new(nameof(ProcessRunner), command, message);

    /// <summary>Reads one output pipe to its end, keeping the first characters up to the cap and dropping the rest.</summary>
    private sealed class OutputCapture
    {
        private readonly StringBuilder _text = new();
        private readonly int _max;
        private bool _truncated;

        public OutputCapture(StreamReader reader, int max)
        {
            _max = max;
            Completion = ReadAsync(reader);
        }

        public Task Completion { get; }

        public (string Text, bool Truncated) Snapshot()
        {
            lock (_text)
            {
                return (_text.ToString(), _truncated);
            }
        }

        private async Task ReadAsync(StreamReader reader)
        {
            var buffer = new char[8192];
            try
            {
                while (true)
                {
                    var n = await reader.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return;
                    }

                    lock (_text)
                    {
                        // Past the cap the output is still read, so the process never blocks on a full pipe.
                        var room = _max - _text.Length;
                        _text.Append(buffer, 0, Math.Min(n, room));
                        _truncated |= n > room;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The pipe broke or was disposed with the process: keep what arrived.
            }
        }
    }
}
