using Holes.Execution.Protocol;
using Holes.Pipeline.Compile;
using StreamJsonRpc;

namespace Holes.Execution.Isolated;

/// <summary>The worker's calls back into the host: nested holes, capability calls and functions the host handed in.</summary>
internal sealed partial class IsolatedRunner
{
    /// <summary>A fill in the worker called <c>agent&lt;T&gt;</c>: the engine fills it here and ships the nested fill to the same worker.</summary>
    internal async Task<CallResult> NestedHoleAsync(WorkerProcess? worker, NestedHole request, CancellationToken cancellationToken)
    {
        if (worker is null || !_running.TryGetValue(request.FillId, out var parent))
        {
            return Failure(new InvalidOperationException("The fill that asked for a nested hole has already ended."), 0);
        }

        try
        {
            var type = WireTypes.Resolve(request.ResultType) ?? throw new InvalidOperationException(
                $"The nested hole's type {request.ResultType} is not known to the host; a nested hole's type must be one the program or the framework defines.");
            var values = request.Values.Select(v => StandIn(v, worker)).ToArray();
            var scope = request.Scope.Select(v => StandIn(v, worker)).ToArray();
            var fill = parent.Run.Fill;
            var site = request.Site < fill.NestedSites.Count ? fill.NestedSites[request.Site] : null;
            var pure = fill.PureNestedSites.Contains(request.Site);
            var task = (Task)s_fillNested.MakeGenericMethod(type).Invoke(_session.Engine, [parent.Run.Context, site, scope, request.Task, values, cancellationToken, pure])!;
            var value = await CallShapes.AwaitAsync(task).ConfigureAwait(false);
            return new CallResult(_values.ToWorker(value, RuntimeTypeNames.FullyQualified(type), request.FillId, worker), null);
        }
        catch (Exception ex)
        {
            return Failure(RemoteFaults.Unwrap(ex), request.FillId);
        }
    }

    /// <summary>A capability proxy in the worker was called: run the call on the real object.</summary>
    internal async Task<CallResult> CapabilityAsync(WorkerProcess? worker, CapabilityCall call)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(worker);
            var (target, scope) = _values.Resolve(call.Handle);
            var contract = WireTypes.Resolve(call.Interface);
            if (contract is not { IsInterface: true } || !contract.IsInstanceOfType(target) || !IsCapabilityContract(target.GetType(), contract) ||
                contract.GetMethods().FirstOrDefault(m => m.MetadataToken == call.MethodToken) is not { } method)
            {
                throw new InvalidOperationException("The worker called a method that is not part of the capability's interface.");
            }

            if (method.IsGenericMethodDefinition)
            {
                method = method.MakeGenericMethod([.. call.GenericArguments.Select(a => WireTypes.Resolve(a) ?? throw new InvalidOperationException($"Unknown type {a}."))]);
            }

            var parameters = method.GetParameters();
            var arguments = call.Arguments.Select((a, i) => _values.FromWorker(a, parameters[i].ParameterType, worker)).ToArray();
            var returned = await Task.Run(() => method.Invoke(target, arguments)).ConfigureAwait(false);
            var value = await CallShapes.AwaitAsync(returned).ConfigureAwait(false);
            var returns = CallShapes.Awaited(method.ReturnType);
            return new CallResult(returns == typeof(void) ? WireValue.Null : _values.ToWorker(value, RuntimeTypeNames.FullyQualified(returns), scope, worker), null);
        }
        catch (Exception ex)
        {
            return Failure(RemoteFaults.Unwrap(ex), 0);
        }
    }

    /// <summary>A fill in the worker called a function the host handed it.</summary>
    internal async Task<CallResult> HostDelegateAsync(WorkerProcess? worker, DelegateCall call)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(worker);
            var (target, scope) = _values.Resolve(call.Handle);
            var function = (Delegate)target;
            var invoke = function.GetType().GetMethod("Invoke")!;
            var parameters = invoke.GetParameters();
            var arguments = call.Arguments.Select((a, i) => _values.FromWorker(a, parameters[i].ParameterType, worker)).ToArray();
            var returned = await Task.Run(() => function.DynamicInvoke(arguments)).ConfigureAwait(false);
            var value = await CallShapes.AwaitAsync(returned).ConfigureAwait(false);
            var returns = CallShapes.Awaited(invoke.ReturnType);
            return new CallResult(returns == typeof(void) ? WireValue.Null : _values.ToWorker(value, RuntimeTypeNames.FullyQualified(returns), scope, worker), null);
        }
        catch (Exception ex)
        {
            return Failure(RemoteFaults.Unwrap(ex), 0);
        }
    }

    /// <summary>The interface is the capability's own or one it implements: a proxy may only reach what the capability offers.</summary>
    private static bool IsCapabilityContract(Type capability, Type contract) => capability.GetInterfaces().Contains(contract);

    private object? StandIn(WireValue value, WorkerProcess worker) => value.Kind switch
    {
        WireKind.WorkerObject => new IsolatedValue(worker, value.Handle, value.Type ?? "object", value.Preview ?? ""),
        _ => _values.FromWorker(value, typeof(object), worker),
    };

    private CallResult Failure(Exception exception, long scope)
    {
        var fault = RemoteFaults.Describe(exception);
        if (exception is HoleException && scope != 0)
        {
            var id = Interlocked.Increment(ref _next);
            _hostExceptions[id] = (exception, scope);
            fault = fault with { HostException = id };
        }

        return new CallResult(null, fault);
    }

    /// <summary>The RPC target the worker calls back: one per worker, so each call knows which worker made it.</summary>
    private sealed class HostCallbacks(IsolatedRunner runner)
    {
        public WorkerProcess? Worker { get; set; }

        [JsonRpcMethod(WireMethods.NestedHole)]
        public Task<CallResult> NestedHoleAsync(NestedHole request, CancellationToken cancellationToken) => runner.NestedHoleAsync(Worker, request, cancellationToken);

        [JsonRpcMethod(WireMethods.Capability)]
        public Task<CallResult> CapabilityAsync(CapabilityCall call) => runner.CapabilityAsync(Worker, call);

        [JsonRpcMethod(WireMethods.HostDelegate)]
        public Task<CallResult> HostDelegateAsync(DelegateCall call) => runner.HostDelegateAsync(Worker, call);

        [JsonRpcMethod(WireMethods.Console)]
        public void Console(string text) => System.Console.Out.Write(text);
    }
}
