using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Holes.Execution.Isolated;
using Holes.Execution.Protocol;
using Holes.Pipeline.Prompt;
using StreamJsonRpc;

namespace Holes.Worker;

/// <summary>
/// The worker's side of values crossing the boundary: data from the host is rebuilt; capabilities become proxies of
/// their interface and host functions become delegates, both calling back into the host; what the worker keeps (a
/// function a fill returned, the values of a nested hole) is held here under a handle.
/// </summary>
internal sealed class WorkerValues(JsonRpc rpc)
{
    private readonly ConcurrentDictionary<long, object?> _objects = new();
    private readonly ConcurrentDictionary<long, ConcurrentBag<long>> _scopes = new();
    private readonly ConditionalWeakTable<Delegate, StrongBox<long>> _hostFunctions = new();
    private long _next;

    public object? FromHost(WireValue value, Type? target)
    {
        switch (value.Kind)
        {
            case WireKind.Null:
                return null;
            case WireKind.Data:
                var type = (value.Type is { } name ? WireTypes.Resolve(name) : null) ?? target ?? typeof(object);
                return DataCopy.Deserialize(value.Json!, type);
            case WireKind.WorkerObject:
                return _objects.TryGetValue(value.Handle, out var kept) ? kept : throw new InvalidOperationException("The value handed back is no longer held by the worker.");
            case WireKind.Capability:
                var contract = WireTypes.Resolve(value.Type!) ?? throw new InvalidOperationException($"The capability interface {value.Type} cannot be loaded in the worker.");
                return CapabilityProxy.Create(contract, value.Handle, this);
            default:
                var delegateType = WireTypes.Resolve(value.Type!) ?? throw new InvalidOperationException($"The function type {value.Type} cannot be loaded in the worker.");
                var invoke = delegateType.GetMethod("Invoke")!;
                var handle = value.Handle;
                var proxy = CallShapes.Delegate(delegateType, arguments => CallShapes.Shape(invoke.ReturnType, CallAsync(
                    WireMethods.HostDelegate,
                    new DelegateCall(handle, [.. arguments.Select((a, i) => ToHost(a, invoke.GetParameters()[i].ParameterType))]),
                    invoke.ReturnType)));
                _hostFunctions.AddOrUpdate(proxy, new StrongBox<long>(handle));
                return proxy;
        }
    }

    /// <summary>Encodes a result or an argument for the host: data is copied; what cannot be copied is kept here and handed as a handle.</summary>
    public WireValue ToHost(object? value, Type staticType)
    {
        if (value is null)
        {
            return WireValue.Null;
        }

        if (Reference(value) is { } reference)
        {
            return reference;
        }

        if (value is Delegate)
        {
            return Keep(value, scope: 0);
        }

        var type = value.GetType();
        ValueCrossingException? failure = null;
        foreach (var candidate in new[] { type, staticType }.Distinct())
        {
            if (candidate == typeof(object) && candidate != type || !candidate.IsInstanceOfType(value))
            {
                continue;
            }

            try
            {
                return new WireValue(WireKind.Data, WireTypes.Name(candidate), DataCopy.Serialize(value, candidate));
            }
            catch (ValueCrossingException ex)
            {
                failure ??= ex;
            }
        }

        return staticType == typeof(object) ? Keep(value, scope: 0) : throw failure!;
    }

    /// <summary>Keeps a value in the worker and describes it, for a nested hole's prompt.</summary>
    public WireValue Keep(object? value, long scope)
    {
        if (value is null)
        {
            return WireValue.Null;
        }

        if (Reference(value) is { } reference)
        {
            return reference;
        }

        var handle = Interlocked.Increment(ref _next);
        _objects[handle] = value;
        if (scope != 0)
        {
            _scopes.GetOrAdd(scope, _ => []).Add(handle);
        }

        return new WireValue(WireKind.WorkerObject, TypeText.Of(value.GetType()), Handle: handle, Preview: ValuePreview.Of(value));
    }

    /// <summary>A committed variable as the host keeps it: a copy of data, or a description of what only the worker holds.</summary>
    public static WireValue Snapshot(object? value)
    {
        if (value is null)
        {
            return WireValue.Null;
        }

        var type = value.GetType();
        if (!type.Assembly.IsCollectible && value is not Delegate && !DataCopy.IsLazySequence(type) && !CapabilityTypes.IsCapability(type))
        {
            try
            {
                return new WireValue(WireKind.Data, WireTypes.Name(type), DataCopy.Serialize(value, type));
            }
            catch (ValueCrossingException)
            {
                // Not data: it lives only here.
            }
        }

        return new WireValue(WireKind.WorkerObject, TypeText.Of(type), Preview: ValuePreview.Of(value));
    }

    public object? Get(long handle) => _objects.TryGetValue(handle, out var value) ? value : throw new InvalidOperationException("The function is no longer held by the worker.");

    public void Release(IEnumerable<long> handles)
    {
        foreach (var handle in handles)
        {
            _objects.TryRemove(handle, out _);
        }
    }

    public void ReleaseScope(long scope)
    {
        if (_scopes.TryRemove(scope, out var handles))
        {
            Release(handles);
        }
    }

    /// <summary>Calls the host and decodes its answer as <paramref name="returns"/> (awaited).</summary>
    public async Task<object?> CallAsync(string method, object request, Type returns)
    {
        var result = await rpc.InvokeAsync<CallResult>(method, request).ConfigureAwait(false);
        if (result.Fault is { } fault)
        {
            throw fault.HostException != 0 ? new HostHoleException(fault) : RemoteFaults.Rebuild(fault);
        }

        var awaited = CallShapes.Awaited(returns);
        return awaited == typeof(void) ? null : FromHost(result.Value ?? WireValue.Null, awaited);
    }

    private WireValue? Reference(object value) => value switch
    {
        CapabilityProxy proxy => new WireValue(WireKind.Capability, WireTypes.Name(proxy.Contract), Handle: proxy.Handle),
        Delegate function when _hostFunctions.TryGetValue(function, out var handle) => new WireValue(WireKind.HostDelegate, WireTypes.Name(function.GetType()), Handle: handle.Value),
        _ => null,
    };
}

/// <summary>A nested hole failed in the host; the host keeps the original exception and rethrows it if the fill does not catch this.</summary>
internal sealed class HostHoleException : Exception
{
    public HostHoleException(FillFault fault) : base(fault.Message) => Fault = fault;

    public HostHoleException()
    {
        Fault = new FillFault("", "", 0, 0, null, false);
    }

    public HostHoleException(string message) : base(message) => Fault = new FillFault("", message, 0, 0, null, false);

    public HostHoleException(string message, Exception innerException) : base(message, innerException) => Fault = new FillFault("", message, 0, 0, null, false);

    public FillFault Fault { get; }
}

/// <summary>A capability in the worker: every call is sent to the host, which runs it on the real object.</summary>
public class CapabilityProxy : DispatchProxy
{
    internal long Handle { get; private set; }

    internal Type Contract { get; private set; } = typeof(object);

    internal WorkerValues? Values { get; private set; }

    internal static object Create(Type contract, long handle, WorkerValues values)
    {
        var proxy = (CapabilityProxy)Create(contract, typeof(CapabilityProxy));
        proxy.Handle = handle;
        proxy.Contract = contract;
        proxy.Values = values;
        return proxy;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var values = Values!;
        var parameters = targetMethod.GetParameters();
        // A CancellationToken cannot cross (it is a handle on this process's state): the host gets none, and the call
        // is still bounded there by the capability's own limits and here by the hole's budget.
        var arguments = (args ?? []).Select((a, i) => parameters[i].ParameterType == typeof(CancellationToken) ? WireValue.Null : values.ToHost(a, parameters[i].ParameterType)).ToArray();
        var call = new CapabilityCall(
            Handle,
            WireTypes.Name(targetMethod.DeclaringType!),
            targetMethod.MetadataToken,
            targetMethod.IsGenericMethod ? [.. targetMethod.GetGenericArguments().Select(WireTypes.Name)] : [],
            arguments);
        return CallShapes.Shape(targetMethod.ReturnType, values.CallAsync(WireMethods.Capability, call, targetMethod.ReturnType));
    }
}
