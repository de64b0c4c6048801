using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Holes.Security.Tests.Harness;

/// <summary>What came back from the child for one case.</summary>
/// <param name="Report">The child's report; <see langword="null"/> when it died or never answered.</param>
/// <param name="Stray">Everything else the child wrote (stderr, console output of fills) while the case ran.</param>
/// <param name="Crashed">The child died during the case.</param>
/// <param name="Failure">Why there is no report.</param>
public sealed record ChildRun(CaseReport? Report, string Stray, bool Crashed, string? Failure);

/// <summary>
/// The test host's side of a child process (one per test class): starts <c>dotnet Holes.Security.Tests.dll
/// case-server</c>, hands it one case at a time, and starts a fresh one when the last died, hung, or asked to be
/// replaced. A process-wide gate bounds how many cases run at once across all children (2-core CI machines).
/// </summary>
public class ChildHost : IAsyncDisposable
{
    private static readonly SemaphoreSlim s_gate = new(Parallelism(), Parallelism());

    /// <summary>How long a case may take in the child, all checks included, before the child is killed.</summary>
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(3);

    private readonly StringBuilder _stray = new();
    private Process? _process;
    private TaskCompletionSource<string>? _reply;
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The child's GC heap hard limit (DOTNET_GCHeapHardLimit, hexadecimal bytes): 4 GB.</summary>
    protected virtual string HeapLimit => "100000000";

    /// <summary>How many children started (for the suite's notes).</summary>
    public int Started { get; private set; }

    public async Task<ChildRun> RunAsync(CaseRequest request)
    {
        await s_gate.WaitAsync();
        try
        {
            return await RunGatedAsync(request);
        }
        finally
        {
            s_gate.Release();
        }
    }

    private async Task<ChildRun> RunGatedAsync(CaseRequest request)
    {
        var process = await EnsureStartedAsync();
        if (process is null)
        {
            return new ChildRun(null, Stray(), Crashed: true, "the child process did not start: " + Stray());
        }

        var reply = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stray)
        {
            _stray.Clear();
            _reply = reply;
        }

        await process.StandardInput.WriteLineAsync(Wire.Write(request));
        await process.StandardInput.FlushAsync();
        var exited = process.WaitForExitAsync();
        var finished = await Task.WhenAny(reply.Task, exited, Task.Delay(s_limit));
        if (finished == exited)
        {
            // A child that recycles writes its report and exits at once: the exit can be seen before the report's
            // line has been read. Let the last lines arrive; a report among them means the child did not die.
            await Task.Delay(200);
            if (reply.Task.IsCompleted)
            {
                finished = reply.Task;
            }
        }

        if (finished == reply.Task)
        {
            var report = Wire.Read<CaseReport>(await reply.Task);
            if (report.Recycle)
            {
                await StopAsync();
            }

            return new ChildRun(report, Stray(), Crashed: false, null);
        }

        if (finished == exited)
        {
            var stray = Stray();
            var code = process.ExitCode;
            await StopAsync();
            return new ChildRun(null, stray, Crashed: true, $"the process running the engine died during the case (exit code {code})");
        }

        await StopAsync();
        return new ChildRun(null, Stray(), Crashed: false, $"the child did not answer within {s_limit.TotalMinutes:0} minutes and was killed");
    }

    private string Stray()
    {
        lock (_stray)
        {
            return _stray.ToString();
        }
    }

    private async Task<Process?> EnsureStartedAsync()
    {
        if (_process is { HasExited: false } running)
        {
            return running;
        }

        await StopAsync();
        _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var assembly = typeof(ChildHost).Assembly.Location;
        var start = new ProcessStartInfo(DotNet())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("case-server");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        // A host should bound its heap; so does the child, so an in-process memory bomb ends in OutOfMemoryException
        // instead of taking the machine's memory from the other tests. HOLES_SECURITY_CHILD_HEAP overrides it
        // (hexadecimal bytes, or "none").
        var heap = Environment.GetEnvironmentVariable("HOLES_SECURITY_CHILD_HEAP") ?? HeapLimit;
        if (heap != "none")
        {
            start.Environment["DOTNET_GCHeapHardLimit"] = heap;
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => OnStray(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Started++;
        var ready = await Task.WhenAny(_ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2)));
        return ready == _ready.Task ? process : null;
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line == Wire.ReadyMarker)
        {
            _ready.TrySetResult();
        }
        else if (line.StartsWith(Wire.ReportMarker, StringComparison.Ordinal))
        {
            TaskCompletionSource<string>? reply;
            lock (_stray)
            {
                reply = _reply;
            }

            reply?.TrySetResult(line[Wire.ReportMarker.Length..]);
        }
        else
        {
            OnStray(line);
        }
    }

    private void OnStray(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stray)
        {
            if (_stray.Length < 256 * 1024)
            {
                _stray.AppendLine(line);
            }
        }
    }

    private async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or it will be reaped with the test host.
        }

        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }

    private static string DotNet()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
    }

    private static int Parallelism() =>
        int.TryParse(Environment.GetEnvironmentVariable("HOLES_SECURITY_PARALLEL"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : Environment.ProcessorCount + 1;
}

/// <summary>
/// The child of the memory family and the heap-limited stack family: a 1 GB heap, the limit .NET itself sets for a host in a container with about 1.3 GB
/// of memory (75% of the cgroup limit). Recursion must be contained under the heap limits real hosts run with.
/// </summary>
public sealed class ContainerChildHost : ChildHost
{
    protected override string HeapLimit => "40000000";
}
