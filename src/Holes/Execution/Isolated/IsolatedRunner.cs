using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Holes.Execution.Protocol;
using Holes.Pipeline;
using Holes.Pipeline.Commit;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Nesting;
using StreamJsonRpc;

namespace Holes.Execution.Isolated;

/// <summary>
/// <see cref="HoleIsolation.Process"/>: ships each checked fill's IL to the session's worker process and runs it
/// there under the session's budgets. A budget that runs out (wall time, CPU, memory, the stack) or a crash kills the
/// worker; the warm spare takes over with the session's data variables restored from the last commit, and the hole
/// throws <see cref="HoleBudgetExceededException"/>.
/// </summary>
internal sealed partial class IsolatedRunner : IFillRunner, IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_cancelGrace = TimeSpan.FromSeconds(1);
    private static readonly MethodInfo s_fillNested = typeof(HoleEngine).GetMethod(nameof(HoleEngine.FillNestedAsync))!;

    private readonly AgentSession _session;
    private readonly HoleOptions _options;
    private readonly VariableStore _variables;
    private readonly Action<string> _log;
    private readonly string _workerPath;
    private readonly WorkerPool _pool;
    private readonly HostValues _values = new();
    private readonly ConcurrentDictionary<long, (FillRun Run, WorkerProcess Worker)> _running = new();
    private readonly ConcurrentDictionary<long, (Exception Exception, long Scope)> _hostExceptions = new();
    private readonly ConcurrentDictionary<WorkerProcess, Lazy<Task<IReadOnlyList<string>>>> _replacements = new();
    private readonly ConcurrentDictionary<WorkerProcess, IReadOnlyList<string>> _lostAtRestore = new();
    private readonly ConcurrentDictionary<WorkerProcess, Exception> _killCauses = new();
    private readonly Lock _snapshotGate = new();
    private readonly Dictionary<string, VariableChange> _snapshots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, VariableChange> _pendingSets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _pendingRemovals = new(StringComparer.Ordinal);
    private long _next;
    private int _disposed;
    private int _announced;

    public IsolatedRunner(AgentSession session, HoleOptions options, VariableStore variables)
    {
        _session = session;
        _options = options;
        _variables = variables;
        _log = options.Log ?? (message => Trace.WriteLine(message, "Holes"));
        _workerPath = WorkerLaunch.FindWorker(options.WorkerPath);
        _values.CallWorkerFunction = CallWorkerFunction;
        _pool = new WorkerPool(StartWorkerAsync, RestoreAsync);
    }

    /// <summary>The wall time a fill may run: <see cref="HoleOptions.Timeout"/>, or the isolated default.</summary>
    public TimeSpan WallLimit => _options.Timeout ?? HoleOptions.DefaultIsolatedTimeout;

    public TimeSpan CpuLimit => _options.CpuTimeLimit ?? WallLimit;

    /// <summary>What is in force around the current worker (waits for it to start).</summary>
    public HoleProtections Protections
    {
        get
        {
            if (_pool.Current is not { } current)
            {
                return HoleProtections.None;
            }

            try
            {
                if (!current.Wait(s_startTimeout))
                {
                    return HoleProtections.None;
                }
            }
            catch (AggregateException)
            {
                return HoleProtections.None;
            }

            return ProtectionsOf(current.Result);
        }
    }

    /// <summary>Starts the worker (and then its spare) in the background, so the first hole does not wait for it.</summary>
    public void Start() => _pool.Start();

    public async Task<FillOutcome> RunAsync<T>(FillRun run, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, _session);
        var worker = await _pool.GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var fillId = Interlocked.Increment(ref _next);
        var context = run.Context;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var values = new WireValue[run.Bindings.Count];
            for (var i = 0; i < values.Length; i++)
            {
                var binding = run.Bindings[i];
                try
                {
                    values[i] = _values.ToWorker(binding.Value, binding.TypeName, fillId, worker);
                }
                catch (ValueCrossingException ex)
                {
                    throw Refused(context, $"The value '{binding.Name}' ({binding.TypeName.Replace("global::", "", StringComparison.Ordinal)})", ex.Message);
                }
            }

            if (ResultProblem(typeof(T)) is { } problem)
            {
                throw Refused(context, $"The hole's type {TypeText.Of(typeof(T))}", problem);
            }

            Dictionary<string, WireValue>? granted = null;
            for (var i = 0; i < run.Slots.Count; i++)
            {
                var slot = run.Slots[i];
                if (_variables.IsGrantedName(slot.Name))
                {
                    try
                    {
                        (granted ??= new(StringComparer.Ordinal))[slot.Name] = _values.ToWorker(run.Variables[i].Value, slot.TypeName, fillId, worker);
                    }
                    catch (ValueCrossingException ex)
                    {
                        throw Refused(context, $"The granted capability '{slot.Name}'", ex.Message);
                    }
                }
            }

            var fill = run.Fill;
            var request = new RunFill(
                fillId, fill.Image, WireTypes.Name(typeof(T)), values, [.. run.Slots.Select(s => s.Name)],
                new Dictionary<string, string>(fill.DeclaredTypes, StringComparer.Ordinal), [.. fill.WrittenVariables], fill.NestedSites.Count,
                NewAssemblies(worker), !context.IsPure, granted, Drain(_pendingRemovals), Drain(_pendingSets));
            _running[fillId] = (run, worker);
            var deadline = _options.Timeout is { } timeout ? (context.BudgetFromRun ? started : context.Started) + Ticks(timeout) : started + Ticks(WallLimit);
            var ended = await AwaitAsync(worker, worker.Rpc.InvokeAsync<FillEnded>(WireMethods.Run, request), fillId, context.Site.Location, context.Task, deadline, cancellationToken)
                .ConfigureAwait(false);
            if (ended.Fault is { } fault)
            {
                throw await FaultAsync(worker, fault, context.Site.Location, context.Task).ConfigureAwait(false);
            }

            var declared = Commit(ended.Changes);
            object? value = null;
            if (ended.Result is { } result)
            {
                try
                {
                    value = _values.FromWorker(result, CallShapes.Awaited(typeof(T)), worker, context.Site.Location);
                    value = CallShapes.IsAsync(typeof(T)) ? CallShapes.Shape(typeof(T), Task.FromResult(value)) : value;
                }
                catch (ValueCrossingException ex)
                {
                    throw new HoleException(context.Site.Location, context.Task,
                        $"The fill for the hole at {context.Site.Location} completed in the isolated worker, but its result could not be copied out: {ex.Message}. " +
                        $"Ask for a result that is data (records, collections, strings, numbers) or a function.");
                }
            }

            return new FillOutcome(value, declared, []);
        }
        finally
        {
            _running.TryRemove(fillId, out _);
            _values.Revoke(fillId);
            foreach (var stale in _hostExceptions.Where(e => e.Value.Scope == fillId).Select(e => e.Key).ToList())
            {
                _hostExceptions.TryRemove(stale, out _);
            }
        }
    }

    /// <summary>Removes a session variable from the worker too (with the next fill it runs).</summary>
    public void Remove(string name)
    {
        lock (_snapshotGate)
        {
            _snapshots.Remove(name);
            _pendingSets.TryRemove(name, out _);
            _pendingRemovals[name] = true;
        }
    }

    /// <summary>A session variable the host program set: copied into the worker with the next fill it runs.</summary>
    /// <exception cref="ArgumentException">The value is not data that can be copied into the worker.</exception>
    public void Set(string name, string typeName, object? value)
    {
        WireValue wire;
        try
        {
            wire = value is null ? WireValue.Null : HostValues.Data(value, value.GetType(), typeName);
        }
        catch (ValueCrossingException ex)
        {
            throw new ArgumentException(
                $"The value for '{name}' cannot be copied into the isolated worker (HoleIsolation.Process): {ex.Message}. Set data (records, collections, strings, numbers).",
                nameof(value), ex);
        }

        var change = new VariableChange(name, typeName, wire);
        lock (_snapshotGate)
        {
            _snapshots[name] = change;
            _pendingRemovals.TryRemove(name, out _);
            _pendingSets[name] = change;
        }
    }

    private T[]? Drain<T>(ConcurrentDictionary<string, T> pending)
    {
        if (pending.IsEmpty)
        {
            return null;
        }

        lock (_snapshotGate)
        {
            var drained = pending.ToArray();
            pending.Clear();
            return drained.Length == 0 ? null : [.. drained.Select(p => p.Value)];
        }
    }

    private string[]? Drain(ConcurrentDictionary<string, bool> pending)
    {
        if (pending.IsEmpty)
        {
            return null;
        }

        lock (_snapshotGate)
        {
            var drained = pending.Keys.ToArray();
            pending.Clear();
            return drained.Length == 0 ? null : drained;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _pool.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private string LimitOf(HoleBudgetKind budget) => budget switch
    {
        HoleBudgetKind.WallTime => Seconds(WallLimit),
        HoleBudgetKind.CpuTime => Seconds(TimeSpan.FromSeconds(Math.Ceiling(CpuLimit.TotalSeconds))),
        HoleBudgetKind.Memory => (_options.WorkerMemoryLimit >> 20).ToString(CultureInfo.InvariantCulture) + " MB",
        _ => "",
    };

    private static HoleException Refused(HoleContext context, string what, string reason) => new(context.Site.Location, context.Task,
        $"{what} handed to the hole at {context.Site.Location} cannot cross into the isolated worker (HoleIsolation.Process): {reason}. Nothing ran. " +
        "Hand a hole data (records, collections, strings, numbers), a capability as its [Capability] interface, or a function; " +
        "or use HoleIsolation.InProcess for this session.");

    private static string? ResultProblem(Type type)
    {
        var awaited = CallShapes.Awaited(type);
        if (typeof(Delegate).IsAssignableFrom(awaited))
        {
            return CallShapes.Unsupported(awaited) is { } why ? $"a function of this type cannot be called across processes: {why}" : null;
        }

        return typeof(Stream).IsAssignableFrom(awaited) || typeof(MemberInfo).IsAssignableFrom(awaited) || awaited.IsPointer || awaited.IsByRefLike
            ? $"a {TypeText.Of(awaited)} is not data and cannot be copied out of the worker"
            : null;
    }

    /// <summary>
    /// Waits for a call into the worker under a wall-time deadline: past it the worker is killed and replaced. The
    /// caller's cancellation is passed to the fill, which gets a short grace to stop before the worker is killed.
    /// </summary>
    private async Task<TResult> AwaitAsync<TResult>(
        WorkerProcess worker, Task<TResult> call, long fillId, string location, string? task, long deadline, CancellationToken cancellationToken)
    {
        var stop = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var remaining = TimeSpan.FromSeconds(Math.Max(0, deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
        using var timer = new Timer(_ => stop.TrySetResult(true), null, remaining, Timeout.InfiniteTimeSpan);
        using var registration = cancellationToken.Register(() => stop.TrySetResult(Stopwatch.GetTimestamp() >= deadline - Stopwatch.Frequency / 20));
        var first = await Task.WhenAny(call, worker.Exited, stop.Task).ConfigureAwait(false);
        if (first == call && call.IsCompletedSuccessfully)
        {
            return call.Result;
        }

        if (first == call && call.Exception?.InnerException is RemoteInvocationException remote && !worker.HasExited)
        {
            // The worker is alive but could not take the request (a message it could not read): not a budget.
            throw new InvalidOperationException($"The isolated worker could not run the fill at {location}: {remote.Message}", remote);
        }

        if (first == call || first == worker.Exited)
        {
            // The connection broke: the process is dying or dead. Give it a moment to exit so its cause is known.
            await Task.WhenAny(worker.Exited, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
            throw await DiedAsync(worker, location, task).ConfigureAwait(false);
        }

        if (stop.Task.Result)
        {
            throw await StopAsync(worker, HoleBudgetKind.WallTime, "", location, task).ConfigureAwait(false);
        }

        if (fillId != 0)
        {
            _ = worker.Rpc.NotifyAsync(WireMethods.Cancel, fillId);
        }

        var settled = await Task.WhenAny(call, worker.Exited, Task.Delay(s_cancelGrace)).ConfigureAwait(false);
        if (settled == call && call.IsCompletedSuccessfully)
        {
            return call.Result;
        }

        var exception = new OperationCanceledException(cancellationToken);
        _killCauses.TryAdd(worker, exception);
        worker.Kill();
        var lost = await ReplaceAsync(worker).ConfigureAwait(false);
        _log($"Holes: the fill at {location} did not stop within {Seconds(s_cancelGrace)} of being cancelled; its worker was killed and replaced{LostText(lost)}.");
        throw exception;
    }

    /// <summary>Kills the worker for a budget and replaces it; returns the exception the hole throws.</summary>
    private async Task<HoleBudgetExceededException> StopAsync(WorkerProcess worker, HoleBudgetKind budget, string detail, string location, string? task)
    {
        var placeholder = new HoleBudgetExceededException(location, task, budget, LimitOf(budget), detail, []);
        _killCauses.TryAdd(worker, placeholder);
        worker.Kill();
        var lost = await ReplaceAsync(worker).ConfigureAwait(false);
        var exception = new HoleBudgetExceededException(location, task, budget, LimitOf(budget), detail, lost);
        _killCauses[worker] = exception;
        _log($"Holes: the fill at {location} ran out of its {budget} budget ({LimitOf(budget)}); the worker (pid {worker.ProcessId}) was killed and replaced{LostText(lost)}.");
        return exception;
    }

    /// <summary>The worker died under a call: why, as the exception the hole throws.</summary>
    private async Task<Exception> DiedAsync(WorkerProcess worker, string location, string? task)
    {
        if (!worker.HasExited)
        {
            worker.Kill();
        }

        var lost = await ReplaceAsync(worker).ConfigureAwait(false);
        if (_killCauses.TryGetValue(worker, out var cause))
        {
            // Killed for another fill's budget: every fill in the worker shares its fate.
            return cause;
        }

        var (budget, detail) = worker.DeathCause();
        var exception = new HoleBudgetExceededException(location, task, budget, LimitOf(budget), detail, lost);
        _killCauses.TryAdd(worker, exception);
        _log($"Holes: the worker (pid {worker.ProcessId}) died running the fill at {location}: {detail}; it was replaced{LostText(lost)}.");
        return exception;
    }

    private async Task<Exception> FaultAsync(WorkerProcess worker, FillFault fault, string location, string? task)
    {
        if (fault.Budget is { } budget)
        {
            return await StopAsync(worker, budget, fault.Message, location, task).ConfigureAwait(false);
        }

        if (fault.HostException != 0 && _hostExceptions.TryRemove(fault.HostException, out var original))
        {
            return original.Exception;
        }

        return RemoteFaults.Rebuild(fault);
    }

    private static string LostText(IReadOnlyList<string> lost) => lost.Count == 0 ? "" : $"; variables lost with it (not data): {string.Join(", ", lost)}";

    private Task<IReadOnlyList<string>> ReplaceAsync(WorkerProcess dead) =>
        _replacements.GetOrAdd(dead, d => new Lazy<Task<IReadOnlyList<string>>>(() => ReplaceCoreAsync(d))).Value;

    private async Task<IReadOnlyList<string>> ReplaceCoreAsync(WorkerProcess dead)
    {
        dead.Kill();
        if (Volatile.Read(ref _disposed) != 0)
        {
            return [];
        }

        var next = await _pool.ReplaceAsync(dead).ConfigureAwait(false);
        return _lostAtRestore.TryRemove(next, out var lost) ? lost : [];
    }

    /// <summary>Puts the session's data variables into a fresh worker; what cannot be restored is dropped from the session and named.</summary>
    private async Task RestoreAsync(WorkerProcess worker)
    {
        var lost = new List<string>();
        var restore = new List<VariableChange>();
        var current = _variables.Snapshot();
        lock (_snapshotGate)
        {
            foreach (var variable in current)
            {
                if (_variables.IsGrantedName(variable.Name))
                {
                    // A grant lives in the host; every fill gets a fresh proxy of it.
                    continue;
                }

                if (_snapshots.TryGetValue(variable.Name, out var change) && change.Value.Kind is WireKind.Data or WireKind.Null)
                {
                    restore.Add(change);
                }
                else
                {
                    lost.Add($"{variable.Name} ({variable.TypeName.Replace("global::", "", StringComparison.Ordinal)})");
                }
            }
        }

        if (restore.Count > 0)
        {
            var failed = await worker.Rpc.InvokeAsync<string[]>(WireMethods.Restore, [restore.ToArray()]).ConfigureAwait(false);
            lost.AddRange(failed.Select(name => $"{name} ({restore.First(r => r.Name == name).TypeName.Replace("global::", "", StringComparison.Ordinal)})"));
        }

        foreach (var name in lost.Select(l => l[..l.IndexOf(' ', StringComparison.Ordinal)]))
        {
            _variables.Remove(name);
            lock (_snapshotGate)
            {
                _snapshots.Remove(name);
            }
        }

        _lostAtRestore[worker] = lost;
    }

    private List<SessionVariable> Commit(VariableChange[] changes)
    {
        var declared = new List<SessionVariable>(changes.Length);
        lock (_snapshotGate)
        {
            foreach (var change in changes)
            {
                if (_variables.IsGrantedName(change.Name))
                {
                    continue;
                }

                _snapshots[change.Name] = change;
                declared.Add(new SessionVariable(change.Name, change.TypeName, HostValues.View(change.Value)));
            }
        }

        return declared;
    }

    private static Dictionary<string, string>? NewAssemblies(WorkerProcess worker)
    {
        var version = HostAssemblies.Version;
        if (worker.AssembliesVersion == version)
        {
            return null;
        }

        worker.AssembliesVersion = version;
        Dictionary<string, string>? added = null;
        foreach (var (name, path) in HostAssemblies.Current())
        {
            lock (worker.KnownAssemblies)
            {
                if (worker.KnownAssemblies.Add(name))
                {
                    (added ??= new(StringComparer.OrdinalIgnoreCase))[name] = path;
                }
            }
        }

        return added;
    }

    private HoleProtections ProtectionsOf(WorkerProcess worker)
    {
        var protections = HoleProtections.Killable;
        if (worker.Ready.HeapHardLimit > 0)
        {
            protections |= HoleProtections.MemoryLimit;
        }

        if (worker.Ready.CpuLimit)
        {
            protections |= HoleProtections.CpuLimit;
        }

        if (worker.Sandboxed)
        {
            protections |= HoleProtections.Sandbox | HoleProtections.NoNetwork | HoleProtections.ReadOnlyFileSystem | HoleProtections.PrivateTemp |
                           HoleProtections.PidNamespace | HoleProtections.EmptyEnvironment | HoleProtections.DiesWithParent;
        }
        else if (!OperatingSystem.IsWindows())
        {
            protections |= HoleProtections.EmptyEnvironment;
        }

        return protections;
    }

    private Task<WorkerProcess> StartWorkerAsync() => Task.Run(async () =>
    {
        var sandbox = !_options.SandboxDisabled && WorkerLaunch.Bubblewrap is not null;
        var version = HostAssemblies.Version;
        var assemblies = HostAssemblies.Current();
        var readable = assemblies.Values.Select(Path.GetDirectoryName).OfType<string>().Append(AppContext.BaseDirectory).Distinct().ToList();
        var hello = new WorkerStart(assemblies, Math.Ceiling(CpuLimit.TotalSeconds), CultureInfo.CurrentCulture.Name, CultureInfo.CurrentUICulture.Name);
        var callbacks = new HostCallbacks(this);
        WorkerProcess worker;
        try
        {
            worker = await WorkerProcess.StartAsync(WorkerLaunch.Create(_workerPath, _options, readable, sandbox), sandbox, callbacks, hello, s_startTimeout)
                .ConfigureAwait(false);
        }
        catch (InvalidOperationException ex) when (sandbox)
        {
            WorkerLaunch.SandboxFailed();
            _log($"Holes: the worker did not start under bubblewrap, so workers run as plain child processes from now on: {ex.Message}");
            worker = await WorkerProcess.StartAsync(WorkerLaunch.Create(_workerPath, _options, readable, sandbox: false), false, callbacks, hello, s_startTimeout)
                .ConfigureAwait(false);
        }

        callbacks.Worker = worker;
        lock (worker.KnownAssemblies)
        {
            worker.KnownAssemblies.UnionWith(assemblies.Keys);
            worker.AssembliesVersion = version;
        }

        _ = WarmAsync(worker);

        if (Interlocked.Exchange(ref _announced, 1) == 0)
        {
            var why = worker.Sandboxed ? "under bubblewrap" : _options.SandboxDisabled ? "as a plain child process (sandbox disabled)"
                : OperatingSystem.IsLinux() ? "as a plain child process (bubblewrap is missing or user namespaces do not work here)"
                : $"as a plain child process (no sandbox on {RuntimeInformation.OSDescription})";
            _log($"Holes: fills run in an isolated worker {why} on {worker.Ready.Runtime}; protections: {ProtectionsOf(worker)}.");
        }

        _ = worker.Exited.ContinueWith(_ => OnExited(worker), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return worker;
    });

    /// <summary>
    /// Runs a small fill in a new worker once, in the background, so the first real fill there (often the one right
    /// after a replacement) does not pay for JIT-ing the load, run and copy paths.
    /// </summary>
    private async Task WarmAsync(WorkerProcess worker)
    {
        try
        {
            var image = await s_warmup.Value.ConfigureAwait(false);
            var values = new[] { new WireValue(WireKind.Data, WireTypes.Name(typeof(List<int>)), "[1,2,3]") };
            await worker.Rpc.InvokeAsync<FillEnded>(WireMethods.Run,
                new RunFill(Interlocked.Increment(ref _next), image, WireTypes.Name(typeof(int)), values, [], [], [], 0, null)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Only a warm-up: the first real fill pays instead.
        }
    }

    private static readonly Lazy<Task<byte[]>> s_warmup = new(() => Task.Run(() => UncheckedFill.Compile(
        "var xs = __frame.Value<List<int>>(0); var text = string.Join(\",\", xs.Select(x => x * 2)); return text.Length + xs.Sum();", typeof(int))));

    /// <summary>A worker that dies while idle (work a fill left behind ran out of CPU, say) is replaced before the next hole.</summary>
    private void OnExited(WorkerProcess worker)
    {
        if (worker.WasKilled || Volatile.Read(ref _disposed) != 0 || _running.Values.Any(r => r.Worker == worker) || _replacements.ContainsKey(worker))
        {
            return;
        }

        var (_, detail) = worker.DeathCause();
        _ = ReplaceAsync(worker).ContinueWith(
            t => _log($"Holes: the idle worker (pid {worker.ProcessId}) died ({detail}); it was replaced{(t.IsCompletedSuccessfully ? LostText(t.Result) : "")}."),
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private object? CallWorkerFunction(IsolatedValue function, Type delegateType, object?[] arguments)
    {
        var invoke = delegateType.GetMethod("Invoke")!;
        return CallShapes.Shape(invoke.ReturnType, CallWorkerFunctionAsync(function, invoke, arguments));
    }

    private async Task<object?> CallWorkerFunctionAsync(IsolatedValue function, MethodInfo invoke, object?[] arguments)
    {
        var worker = function.Worker!;
        if (worker.HasExited || _replacements.ContainsKey(worker))
        {
            throw new HoleException(function.Origin, null,
                $"The function made by the fill at {function.Origin} lived in an isolated worker that was replaced after a budget ran out; it is gone. Fill the hole again to get a new one.");
        }

        var scope = Interlocked.Increment(ref _next);
        try
        {
            var parameters = invoke.GetParameters();
            var wire = new WireValue[arguments.Length];
            for (var i = 0; i < wire.Length; i++)
            {
                wire[i] = _values.ToWorker(arguments[i], RuntimeTypeNames.FullyQualified(parameters[i].ParameterType), scope, worker);
            }

            var call = worker.Rpc.InvokeAsync<CallResult>(WireMethods.InvokeDelegate, new DelegateCall(function.Handle, wire));
            var result = await AwaitAsync(worker, call, 0, function.Origin, null, Stopwatch.GetTimestamp() + Ticks(WallLimit), CancellationToken.None)
                .ConfigureAwait(false);
            if (result.Fault is { } fault)
            {
                throw await FaultAsync(worker, fault, function.Origin, null).ConfigureAwait(false);
            }

            var returns = CallShapes.Awaited(invoke.ReturnType);
            return returns == typeof(void) ? null : _values.FromWorker(result.Value ?? WireValue.Null, returns, worker, function.Origin);
        }
        finally
        {
            _values.Revoke(scope);
        }
    }
}
