using System.Collections.Concurrent;
using System.Diagnostics;
using Holes.Execution.Protocol;
using StreamJsonRpc;

namespace Holes.Execution.Isolated;

/// <summary>
/// One running worker: the child process (bwrap or dotnet), the JSON-RPC connection over its stdin and stdout, the
/// tail of its stderr (where the runtime reports a stack overflow or a fatal error), and how it ended.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const int TailLines = 40;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _stderr;
    private int _killed;

    private WorkerProcess(Process process, bool sandboxed, JsonRpc rpc)
    {
        _process = process;
        Sandboxed = sandboxed;
        Rpc = rpc;
        ProcessId = process.Id;
        _stderr = Task.Run(ReadStandardErrorAsync);
        _ = WatchExitAsync();
    }

    public JsonRpc Rpc { get; }

    public int ProcessId { get; }

    public bool Sandboxed { get; }

    public WorkerReady Ready { get; private set; } = new("", false, 0);

    /// <summary>Completes when the process has exited (and its stderr has been read).</summary>
    public Task Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>True once the host killed it on purpose (a budget ran out, the session ended).</summary>
    public bool WasKilled => Volatile.Read(ref _killed) != 0;

    /// <summary>Assemblies this worker has been told about.</summary>
    public HashSet<string> KnownAssemblies { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The <see cref="HostAssemblies.Version"/> this worker was last brought up to date with.</summary>
    public int AssembliesVersion { get; set; }

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public bool SawStackOverflow { get; private set; }

    public bool SawOutOfMemory { get; private set; }

    public string StandardErrorTail => string.Join(Environment.NewLine, _tail);

    public static async Task<WorkerProcess> StartAsync(ProcessStartInfo start, bool sandboxed, object callbacks, WorkerStart hello, TimeSpan timeout)
    {
        var process = await ProcessLauncher.StartAsync(start).ConfigureAwait(false);
        var handler = new HeaderDelimitedMessageHandler(process.StandardInput.BaseStream, process.StandardOutput.BaseStream, new SystemTextJsonFormatter());
        var rpc = new JsonRpc(handler);
        rpc.AddLocalRpcTarget(callbacks, new JsonRpcTargetOptions { DisposeOnDisconnect = false });
        rpc.StartListening();
        var worker = new WorkerProcess(process, sandboxed, rpc);
        try
        {
            var ready = rpc.InvokeAsync<WorkerReady>(WireMethods.Start, hello);
            var first = await Task.WhenAny(ready, worker.Exited, Task.Delay(timeout)).ConfigureAwait(false);
            if (first != ready)
            {
                worker.Kill();
                await worker.Exited.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"The Holes worker did not start{(first == worker.Exited ? $" (it exited with {worker.ExitCode})" : $" within {timeout.TotalSeconds:0} s")}" +
                    $"{(sandboxed ? " under bubblewrap" : "")}. Its output: {worker.StandardErrorTail}");
            }

            worker.Ready = await ready.ConfigureAwait(false);
            return worker;
        }
        catch
        {
            worker.Kill();
            throw;
        }
    }

    /// <summary>Kills the process and everything it started (bwrap takes its sandbox with it).</summary>
    public void Kill()
    {
        Interlocked.Exchange(ref _killed, 1);
        try
        {
            if (!_process.HasExited)
            {
                // Under bubblewrap the runtime is a grandchild: killing it first lets each bwrap reap its child and exit
                // by itself, so no process is orphaned into a zombie that the container's init may never reap.
                if (Sandboxed && KillDescendants(_process.Id) && _process.WaitForExit(1_000))
                {
                    return;
                }

                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Already gone, or exiting.
        }
    }

    /// <summary>Kills every descendant of <paramref name="root"/>, deepest first (Linux); false when there was none to kill.</summary>
    private static bool KillDescendants(int root)
    {
        var descendants = new List<int>();
        void Walk(int pid)
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var id = int.Parse(child, System.Globalization.CultureInfo.InvariantCulture);
                    Walk(id);
                    descendants.Add(id);
                }
            }
        }

        try
        {
            Walk(root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return false;
        }

        foreach (var id in descendants)
        {
            try
            {
                using var process = Process.GetProcessById(id);
                process.Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }

        return descendants.Count > 0;
    }

    /// <summary>Why the process died, when the host did not kill it: the budget it ran out of and a detail for the message.</summary>
    public (HoleBudgetKind Budget, string Detail) DeathCause()
    {
        var code = ExitCode;
        if (SawStackOverflow)
        {
            return (HoleBudgetKind.StackOverflow, "the runtime reported a stack overflow");
        }

        if (SawOutOfMemory)
        {
            return (HoleBudgetKind.Memory, "the runtime ran out of memory");
        }

        // Killed by SIGXCPU (24): RLIMIT_CPU, which the worker arms around each fill. 128 + 24 from a direct child or from bwrap.
        if (code is 152 or -24 or 24 + 256)
        {
            return (HoleBudgetKind.CpuTime, "the kernel stopped it at its CPU-time limit");
        }

        if (code is 137 or -9)
        {
            return (HoleBudgetKind.Crash, "it was killed (SIGKILL), perhaps by the system's out-of-memory killer");
        }

        var last = _tail.LastOrDefault(l => l.Trim().Length > 0)?.Trim();
        return (HoleBudgetKind.Crash, $"it exited with code {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}" +
                                  (last is null ? "" : $"; its last output: {last}"));
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        Rpc.Dispose();
        await Exited.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task ReadStandardErrorAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith("Stack overflow", StringComparison.Ordinal))
                {
                    SawStackOverflow = true;
                }
                else if (line.Contains("OutOfMemoryException", StringComparison.Ordinal) || line.StartsWith("Out of memory", StringComparison.Ordinal))
                {
                    SawOutOfMemory = true;
                }
                else if (line.TrimStart().StartsWith("at ", StringComparison.Ordinal) || line.TrimStart().StartsWith("Repeat ", StringComparison.Ordinal))
                {
                    continue;
                }

                _tail.Enqueue(line.Length > 400 ? line[..400] + "…" : line);
                while (_tail.Count > TailLines && _tail.TryDequeue(out _))
                {
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke with the process.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task WatchExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            await _stderr.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            _exited.TrySetResult();
        }
    }
}

/// <summary>
/// Starts child processes from one long-lived thread. On Linux, bubblewrap's <c>--die-with-parent</c> is tied to the
/// thread that forked it: a pool thread that retires would take the worker with it.
/// </summary>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> s_queue = [];
    private static readonly Lazy<Thread> s_thread = new(() =>
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "Holes worker launcher" };
        thread.Start();
        return thread;
    });

    public static Task<Process> StartAsync(ProcessStartInfo start)
    {
        _ = s_thread.Value;
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        s_queue.Add((start, started));
        return started.Task;
    }

    private static void Run()
    {
        foreach (var (start, started) in s_queue.GetConsumingEnumerable())
        {
            try
            {
                started.TrySetResult(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}."));
            }
            catch (Exception ex)
            {
                started.TrySetException(ex);
            }
        }
    }
}
