using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Holes.Execution.Protocol;
using Holes.Pipeline.Compile;

namespace Holes.Execution.Isolated;

/// <summary>
/// The host's side of values crossing into and out of the worker: data is copied, capabilities and host functions
/// are registered under handles that the worker's proxies call, and what lives in the worker comes back as a stand-in
/// (<see cref="IsolatedValue"/>) or, for a function, as a delegate that calls into the worker.
/// </summary>
internal sealed class HostValues
{
    private readonly ConcurrentDictionary<long, (object Target, long Scope)> _handles = new();
    private readonly ConcurrentDictionary<long, ConcurrentBag<long>> _scopes = new();
    private readonly ConditionalWeakTable<Delegate, IsolatedValue> _workerFunctions = new();
    private long _next;

    /// <summary>Calls a function that lives in the worker; set by the runner, which owns budgets.</summary>
    public Func<IsolatedValue, Type, object?[], object?>? CallWorkerFunction { get; set; }

    /// <summary>Encodes a value handed to a fill, or says why it cannot cross.</summary>
    public WireValue ToWorker(object? value, string staticTypeName, long scope, WorkerProcess worker)
    {
        switch (value)
        {
            case null:
                return WireValue.Null;
            case IsolatedValue isolated:
                return FromWorker(isolated, worker);
            case Delegate function when _workerFunctions.TryGetValue(function, out var isolated):
                return FromWorker(isolated, worker);
        }

        var type = value.GetType();
        if (CapabilityTypes.IsCapability(type))
        {
            var contract = CapabilityTypes.InterfaceFor(type, staticTypeName) ?? throw new ValueCrossingException(
                $"it is a capability ({TypeText.Of(type)}) handed as {staticTypeName.Replace("global::", "", StringComparison.Ordinal)}, and a capability crosses into the worker only " +
                "as a proxy of its [Capability] interface: declare the value with that interface's type");
            return new WireValue(WireKind.Capability, WireTypes.Name(contract), Handle: Register(value, scope));
        }

        if (value is Delegate host)
        {
            if (CallShapes.Unsupported(type) is { } why)
            {
                throw new ValueCrossingException($"it is a function ({TypeText.Of(type)}) that cannot be called across processes: {why}");
            }

            return new WireValue(WireKind.HostDelegate, WireTypes.Name(type), Handle: Register(host, scope));
        }

        return Data(value, type, staticTypeName);
    }

    /// <summary>Decodes a value that came out of the worker as <paramref name="target"/>.</summary>
    public object? FromWorker(WireValue wire, Type target, WorkerProcess worker, string origin = "")
    {
        switch (wire.Kind)
        {
            case WireKind.Null:
                return target.IsValueType && Nullable.GetUnderlyingType(target) is null && target != typeof(void) ? Activator.CreateInstance(target) : null;
            case WireKind.Data:
                var type = wire.Type is { } name && WireTypes.Resolve(name) is { } resolved && target.IsAssignableFrom(resolved) ? resolved : target;
                return DataCopy.Deserialize(wire.Json!, type == typeof(void) ? typeof(object) : type);
            case WireKind.Capability or WireKind.HostDelegate:
                return _handles.TryGetValue(wire.Handle, out var entry) ? entry.Target : throw new ValueCrossingException("it names a capability or function whose hole has ended");
            default:
                var isolated = new IsolatedValue(worker, wire.Handle, wire.Type ?? "object", wire.Preview ?? "") { Origin = origin };
                if (typeof(Delegate).IsAssignableFrom(target) && target != typeof(Delegate) && target != typeof(MulticastDelegate))
                {
                    if (CallShapes.Unsupported(target) is { } why)
                    {
                        throw new ValueCrossingException($"the function cannot be called across processes: {why}");
                    }

                    var call = CallWorkerFunction ?? throw new InvalidOperationException("No worker to call.");
                    var proxy = CallShapes.Delegate(target, arguments => call(isolated, target, arguments));
                    _workerFunctions.AddOrUpdate(proxy, isolated);
                    return proxy;
                }

                if (target == typeof(object))
                {
                    return isolated;
                }

                throw new ValueCrossingException(
                    $"it is a {isolated.TypeName}, which is not data and lives in the worker, so it cannot be copied out as a {TypeText.Of(target)}");
        }
    }

    /// <summary>A copy of a committed variable for the host's view: data as such, anything else as a stand-in.</summary>
    public static object? View(WireValue wire)
    {
        if (wire.Kind == WireKind.Data && wire.Type is { } name && WireTypes.Resolve(name) is { } type)
        {
            try
            {
                return DataCopy.Deserialize(wire.Json!, type);
            }
            catch (ValueCrossingException)
            {
                return new IsolatedValue(null, 0, TypeText.Of(type), "(a copy could not be made in the host)");
            }
        }

        return wire.Kind == WireKind.Null ? null : new IsolatedValue(null, 0, wire.Type ?? "object", $"({wire.Type ?? "a value"} that lives in the isolated worker) {wire.Preview}");
    }

    public (object Target, long Scope) Resolve(long handle) =>
        _handles.TryGetValue(handle, out var entry) ? entry : throw new InvalidOperationException(
            "The capability or function was handed to a hole that has ended: its access was revoked. Hand it to the hole that uses it.");

    /// <summary>Revokes every capability and function handed to the fill <paramref name="scope"/>.</summary>
    public void Revoke(long scope)
    {
        if (_scopes.TryRemove(scope, out var handles))
        {
            foreach (var handle in handles)
            {
                _handles.TryRemove(handle, out _);
            }
        }
    }

    private long Register(object target, long scope)
    {
        var handle = Interlocked.Increment(ref _next);
        _handles[handle] = (target, scope);
        _scopes.GetOrAdd(scope, _ => []).Add(handle);
        return handle;
    }

    private static WireValue FromWorker(IsolatedValue isolated, WorkerProcess worker) =>
        isolated.Worker == worker && isolated.Handle != 0
            ? new WireValue(WireKind.WorkerObject, isolated.TypeName, Handle: isolated.Handle)
            : throw new ValueCrossingException($"it is a {isolated.TypeName} that lived in an isolated worker that was replaced after a budget ran out; it is gone");

    public static WireValue Data(object value, Type type, string staticTypeName)
    {
        if (DataCopy.IsLazySequence(type))
        {
            throw new ValueCrossingException($"it is a lazy sequence ({TypeText.Of(type)}); copying it would run it. Materialise it first, e.g. with ToList()");
        }

        ValueCrossingException? first = null;
        foreach (var candidate in Candidates(type, staticTypeName))
        {
            try
            {
                return new WireValue(WireKind.Data, WireTypes.Name(candidate), DataCopy.Serialize(value, candidate));
            }
            catch (ValueCrossingException ex)
            {
                first ??= ex;
            }
        }

        throw first!;
    }

    /// <summary>The runtime type first; then the static type the fill sees, found among its bases and interfaces.</summary>
    private static IEnumerable<Type> Candidates(Type type, string staticTypeName)
    {
        yield return type;
        for (var current = type.BaseType; current is not null && current != typeof(object); current = current.BaseType)
        {
            if (RuntimeTypeNames.FullyQualified(current) == staticTypeName)
            {
                yield return current;
            }
        }

        foreach (var contract in type.GetInterfaces())
        {
            if (RuntimeTypeNames.FullyQualified(contract) == staticTypeName)
            {
                yield return contract;
            }
        }
    }
}
