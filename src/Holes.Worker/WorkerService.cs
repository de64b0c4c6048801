using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using Holes.Execution;
using Holes.Execution.Isolated;
using Holes.Execution.Protocol;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Run;
using Holes.Runtime;
using StreamJsonRpc;

namespace Holes.Worker;

/// <summary>
/// What the host calls: run a checked fill (its IL loaded into a collectible context, exactly as in process), call a
/// function a fill returned, restore or drop session variables. The session's variables live here.
/// </summary>
internal sealed class WorkerService
{
    private readonly JsonRpc _rpc;
    private readonly WorkerValues _values;
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _running = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string TypeName, object? Value)> _variables = new(StringComparer.Ordinal);
    private CpuBudget? _cpu;
    private long _scopes = long.MinValue / 2;

    public WorkerService(JsonRpc rpc)
    {
        _rpc = rpc;
        _values = new WorkerValues(rpc);
    }

    [JsonRpcMethod(WireMethods.Start)]
    public WorkerReady Start(WorkerStart hello)
    {
        AssemblyResolver.Add(hello.Assemblies);
        try
        {
            CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(hello.Culture);
            CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(hello.UICulture);
        }
        catch (CultureNotFoundException)
        {
            // Invariant, then.
        }

        _cpu = new CpuBudget(hello.CpuSecondsPerFill);

        // Warm the paths every fill takes, so the first hole does not pay for JIT-ing them.
        _ = WorkerValues.Snapshot(new List<int> { 1 });
        _ = DataCopy.Deserialize("[1]", typeof(List<int>));

        var limit = Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit") is { Length: > 2 } hex &&
                    long.TryParse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var parsed) &&
                    GC.GetGCMemoryInfo().TotalAvailableMemoryBytes <= parsed
            ? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes
            : 0;
        return new WorkerReady(RuntimeInformation.FrameworkDescription, _cpu.Available, limit);
    }

    [JsonRpcMethod(WireMethods.Run)]
    public Task<FillEnded> RunAsync(RunFill request) => Task.Run(() => RunCoreAsync(request));

    [JsonRpcMethod(WireMethods.Cancel)]
    public void Cancel(long fillId)
    {
        if (_running.TryGetValue(fillId, out var cancellation))
        {
            try
            {
                cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    [JsonRpcMethod(WireMethods.InvokeDelegate)]
    public Task<CallResult> InvokeDelegateAsync(DelegateCall call) => Task.Run(async () =>
    {
        var scope = Interlocked.Increment(ref _scopes);
        _cpu?.Enter();
        try
        {
            var function = (Delegate)_values.Get(call.Handle)!;
            var invoke = function.GetType().GetMethod("Invoke")!;
            var parameters = invoke.GetParameters();
            var arguments = call.Arguments.Select((a, i) => _values.FromHost(a, parameters[i].ParameterType)).ToArray();

            // A call into a function a fill made runs under a budget of its own (the host bounds its wall time).
            using var budget = RunBudget.ForCall(null);
            using var inBudget = FillBudget.Use(budget);
            try
            {
                var value = await CallShapes.AwaitAsync(function.DynamicInvoke(arguments)).ConfigureAwait(false);
                var returns = CallShapes.Awaited(invoke.ReturnType);
                return new CallResult(returns == typeof(void) ? WireValue.Null : _values.ToHost(value, returns), null);
            }
            finally
            {
                budget.Stop(BudgetStop.Ended);
            }
        }
        catch (Exception ex)
        {
            return new CallResult(null, Describe(ex));
        }
        finally
        {
            _cpu?.Exit();
            _values.ReleaseScope(scope);
        }
    });

    [JsonRpcMethod(WireMethods.Release)]
    public void Release(long[] handles) => _values.Release(handles);

    [JsonRpcMethod(WireMethods.Restore)]
    public string[] Restore(VariableChange[] variables)
    {
        var failed = new List<string>();
        lock (_gate)
        {
            foreach (var variable in variables)
            {
                try
                {
                    _variables[variable.Name] = (variable.TypeName, _values.FromHost(variable.Value, null));
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    failed.Add(variable.Name);
                }
            }
        }

        return [.. failed];
    }

    [JsonRpcMethod(WireMethods.Remove)]
    public void Remove(string name)
    {
        lock (_gate)
        {
            _variables.Remove(name);
        }
    }

    private async Task<FillEnded> RunCoreAsync(RunFill request)
    {
        if (request.Assemblies is { } more)
        {
            AssemblyResolver.Add(more);
        }

        using var cancellation = new CancellationTokenSource();
        RunBudget? budget = null;
        _running[request.FillId] = cancellation;
        _cpu?.Enter();
        try
        {
            var values = request.Values.Select(v => _values.FromHost(v, null)).ToArray();
            object?[] variables;
            lock (_gate)
            {
                foreach (var name in request.Removed ?? [])
                {
                    _variables.Remove(name);
                }

                foreach (var set in request.Set ?? [])
                {
                    _variables[set.Name] = (set.TypeName, _values.FromHost(set.Value, null));
                }

                variables = [.. request.Variables.Select(n =>
                    request.Granted?.TryGetValue(n, out var granted) == true ? _values.FromHost(granted, null) :
                    _variables.TryGetValue(n, out var v) ? v.Value : null)];
            }

            var fill = new CompiledFill(request.Image, request.DeclaredTypes, request.WrittenVariables.ToHashSet(), new NestedSite?[request.NestedSites], null!);
            var frame = new FillFrame(values, variables, fill, context: null) { Route = new NestedRoute(this, request.FillId) };
            var resultType = WireTypes.Resolve(request.ResultType) ?? typeof(object);

            // The fill's budget stays in force until its result and variables have been copied (which may run its code).
            budget = new RunBudget(null, cancellation.Token);
            using var scope = FillBudget.Use(budget);
            var value = await FillRunner.RunAsync(fill, frame, budget).ConfigureAwait(false);
            if (CallShapes.IsAsync(resultType) && value is Task task)
            {
                // A Task-typed hole's value is its task: it is awaited here, under the fill's budget, and its result crosses.
                await task.WaitAsync(cancellation.Token).ConfigureAwait(false);
                value = await CallShapes.AwaitAsync(task).ConfigureAwait(false);
            }

            WireValue result;
            try
            {
                result = _values.ToHost(value, CallShapes.Awaited(resultType));
            }
            catch (ValueCrossingException ex)
            {
                return new FillEnded(null, [], new FillFault(typeof(NotSupportedException).FullName!, $"The fill's result cannot be copied out of the isolated worker: {ex.Message}.", 0, 0, null, false));
            }

            // A pure hole (inside a Classified<T> transform) commits nothing, here as in the host.
            if (request.Commit && KeptCapability(frame, request, values) is { } kept)
            {
                return new FillEnded(null, [], kept);
            }

            return new FillEnded(result, request.Commit ? Commit(frame, request) : [], null);
        }
        catch (Exception ex)
        {
            return new FillEnded(null, [], Describe(ex));
        }
        finally
        {
            // Whatever the fill left running stops at its next budget check.
            budget?.Stop(BudgetStop.Ended);
            budget?.Dispose();
            _cpu?.Exit();
            _running.TryRemove(request.FillId, out _);
            _values.ReleaseScope(request.FillId);
        }
    }

    /// <summary>
    /// A capability proxy this fill was handed, kept in a value it would commit (in a list, an anonymous object, a
    /// closure): refused as in the host, nothing committed. The proxy would be revoked once the hole ends anyway; the
    /// refusal tells the model (and the program) that the fill tried.
    /// </summary>
    private static FillFault? KeptCapability(FillFrame frame, RunFill request, object?[] values)
    {
        var handed = values.OfType<CapabilityProxy>().Cast<object>().ToList();
        if (handed.Count == 0)
        {
            return null;
        }

        var slots = request.Variables.Select(n => new VariableSlot(n, "")).ToList();
        var committed = frame.Declared().Select(v => (v.Name, v.Value)).Concat(frame.Assigned(slots));
        foreach (var (name, value) in committed)
        {
            var finding = Holes.Pipeline.Commit.HeldCapabilities.Find([value], handed, static o => o is CapabilityProxy);
            if (finding.Capability is not null || finding.TooLarge)
            {
                var type = finding.Capability is CapabilityProxy proxy ? proxy.Contract.FullName : "a capability";
                return new FillFault(typeof(HoleCapabilityException).FullName!,
                    $"The fill kept '{name}', which holds {type} handed to this hole, in the session; a capability handed to a hole must not outlive it, " +
                    "so nothing the fill declared or assigned was committed. Use it within the fill, or have the program grant it to the session with AgentSession.Grant.",
                    0, 0, null, false);
            }
        }

        return null;
    }

    /// <summary>Applies a completed fill's declarations and assignments here, and returns copies of what changed for the host.</summary>
    private VariableChange[] Commit(FillFrame frame, RunFill request)
    {
        lock (_gate)
        {
            var changed = new List<string>();
            foreach (var variable in frame.Declared())
            {
                _variables[variable.Name] = (variable.TypeName, variable.Value);
                changed.Add(variable.Name);
            }

            var slots = request.Variables.Select(n => new VariableSlot(n, "")).ToList();
            foreach (var (name, value) in frame.Assigned(slots))
            {
                if (_variables.TryGetValue(name, out var existing))
                {
                    _variables[name] = (existing.TypeName, value);
                    if (!changed.Contains(name))
                    {
                        changed.Add(name);
                    }
                }
            }

            // An object the fill read may have been changed in place: its copy in the host must follow.
            foreach (var index in frame.ReadVariables())
            {
                var name = request.Variables[index];
                if (!changed.Contains(name) && request.Granted?.ContainsKey(name) != true &&
                    _variables.TryGetValue(name, out var read) && read.Value is { } v && !WireJson.IsSimple(v.GetType()))
                {
                    changed.Add(name);
                }
            }

            return [.. changed.Select(n => new VariableChange(n, _variables[n].TypeName, WorkerValues.Snapshot(_variables[n].Value)))];
        }
    }

    private static FillFault Describe(Exception exception)
    {
        var unwrapped = RemoteFaults.Unwrap(exception);
        if (unwrapped is HostHoleException host)
        {
            return host.Fault;
        }

        return RemoteFaults.Describe(unwrapped, unwrapped is OutOfMemoryException or InsufficientMemoryException ? HoleBudgetKind.Memory : null);
    }

    /// <summary>A nested <c>agent&lt;T&gt;</c> call of a fill running here: the host's engine fills it and ships the nested fill back to this worker.</summary>
    private sealed class NestedRoute(WorkerService worker, long fillId) : INestedHoleRoute
    {
        public async Task<T> FillAsync<T>(int site, object?[] scope, string task, object?[] values, CancellationToken cancellationToken)
        {
            var request = new NestedHole(
                fillId, site, task, WireTypes.Name(typeof(T)),
                [.. values.Select(v => worker._values.Keep(v, fillId))],
                [.. scope.Select(v => worker._values.Keep(v, fillId))]);
            var result = await worker._rpc.InvokeWithCancellationAsync<CallResult>(WireMethods.NestedHole, [request], cancellationToken).ConfigureAwait(false);
            if (result.Fault is { } fault)
            {
                throw fault.HostException != 0 ? new HostHoleException(fault) : RemoteFaults.Rebuild(fault);
            }

            return (T)worker._values.FromHost(result.Value ?? WireValue.Null, typeof(T))!;
        }
    }
}
