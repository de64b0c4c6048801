namespace Holes.Execution.Protocol;

// The messages between the host and its worker process (HoleIsolation.Process), carried by StreamJsonRpc as JSON over
// the worker's stdin and stdout. Both ends are this assembly, so the shapes are shared rather than versioned.

/// <summary>How a value crosses the process boundary.</summary>
internal enum WireKind
{
    /// <summary>null.</summary>
    Null = 0,

    /// <summary>Copied as JSON (<see cref="WireValue.Json"/>) of the runtime type <see cref="WireValue.Type"/>.</summary>
    Data = 1,

    /// <summary>Stays in the worker; <see cref="WireValue.Handle"/> names it in the worker's table (a function, a value that is not data).</summary>
    WorkerObject = 2,

    /// <summary>A capability that stays in the host; the worker gets a proxy of interface <see cref="WireValue.Type"/>.</summary>
    Capability = 3,

    /// <summary>A host delegate; the worker gets a delegate of type <see cref="WireValue.Type"/> that calls back.</summary>
    HostDelegate = 4,
}

/// <summary>One value on the wire.</summary>
/// <param name="Kind">How it crosses.</param>
/// <param name="Type">Assembly-qualified type name: the runtime type of data, the capability interface, the delegate type; for a worker object, its type as C# shows it.</param>
/// <param name="Json">The data, for <see cref="WireKind.Data"/>.</param>
/// <param name="Handle">The table entry, for the other kinds.</param>
/// <param name="Preview">A short rendering for prompts and messages, for <see cref="WireKind.WorkerObject"/>.</param>
internal sealed record WireValue(WireKind Kind, string? Type = null, string? Json = null, long Handle = 0, string? Preview = null)
{
    public static readonly WireValue Null = new(WireKind.Null);
}

/// <summary>Sent once when a worker starts.</summary>
/// <param name="Assemblies">The host's non-framework assemblies by simple name, so the worker can load the program's types.</param>
/// <param name="CpuSecondsPerFill">The CPU budget armed around each fill (and for work a fill left behind).</param>
/// <param name="Culture">The host's current culture, so fills format as they would in process.</param>
/// <param name="UICulture">The host's current UI culture.</param>
internal sealed record WorkerStart(Dictionary<string, string> Assemblies, double CpuSecondsPerFill, string Culture, string UICulture);

/// <summary>The worker's answer to <see cref="WorkerStart"/>.</summary>
/// <param name="Runtime">The runtime it runs on.</param>
/// <param name="CpuLimit">Whether it could arm RLIMIT_CPU.</param>
/// <param name="HeapHardLimit">The managed heap limit the GC reports, in bytes (0 when none).</param>
internal sealed record WorkerReady(string Runtime, bool CpuLimit, long HeapHardLimit);

/// <summary>Runs one checked fill.</summary>
/// <param name="FillId">Names the running fill in calls back to the host (nested holes).</param>
/// <param name="Image">The fill's IL, as the host emitted it after every check passed.</param>
/// <param name="ResultType">The hole's type, assembly-qualified.</param>
/// <param name="Values">The handed-in values, by position.</param>
/// <param name="Variables">The session variables the fill is compiled with, by position (their values live in the worker).</param>
/// <param name="DeclaredTypes">Static types of the top-level variables the fill declares.</param>
/// <param name="WrittenVariables">Positions of session variables the fill assigns.</param>
/// <param name="NestedSites">How many nested agent&lt;T&gt; calls the fill contains.</param>
/// <param name="Assemblies">Assemblies the host loaded since the last request.</param>
/// <param name="Commit">False for a pure hole (inside a Classified&lt;T&gt; transform): it commits nothing.</param>
/// <param name="Granted">Capabilities the session granted, by variable name: a proxy for this fill stands in for the variable.</param>
/// <param name="Removed">Session variables the host removed since the last request.</param>
/// <param name="Set">Session variables the host set since the last request.</param>
internal sealed record RunFill(
    long FillId,
    byte[] Image,
    string ResultType,
    WireValue[] Values,
    string[] Variables,
    Dictionary<string, string> DeclaredTypes,
    int[] WrittenVariables,
    int NestedSites,
    Dictionary<string, string>? Assemblies,
    bool Commit = true,
    Dictionary<string, WireValue>? Granted = null,
    string[]? Removed = null,
    VariableChange[]? Set = null);

/// <summary>How a fill ended.</summary>
/// <param name="Result">Its value, when it completed.</param>
/// <param name="Changes">The session variables it committed in the worker (declared, assigned, or read and possibly mutated).</param>
/// <param name="Fault">What it threw, when it did not complete.</param>
internal sealed record FillEnded(WireValue? Result, VariableChange[] Changes, FillFault? Fault);

/// <summary>A session variable's committed value, as the host keeps it for restoring a replaced worker.</summary>
/// <param name="Name">Its name.</param>
/// <param name="TypeName">Its static C# type.</param>
/// <param name="Value">Its value: data, or a worker object that cannot be restored.</param>
internal sealed record VariableChange(string Name, string TypeName, WireValue Value);

/// <summary>An exception a fill threw in the worker.</summary>
/// <param name="Type">Its full type name.</param>
/// <param name="Message">Its message.</param>
/// <param name="MethodToken">Metadata token of the fill's method that threw, 0 when no frame was in the fill.</param>
/// <param name="IlOffset">IL offset in that method.</param>
/// <param name="Budget">Set when the exception means a budget ran out in the worker (memory).</param>
/// <param name="Canceled">The fill observed cancellation.</param>
/// <param name="HostException">Set when the exception is one the host raised for a nested hole (the host keeps the original).</param>
internal sealed record FillFault(string Type, string Message, int MethodToken, int IlOffset, HoleBudgetKind? Budget, bool Canceled, long HostException = 0);

/// <summary>A worker's call back to the host: a nested hole in a running fill.</summary>
/// <param name="FillId">The fill that made the call.</param>
/// <param name="Site">The nested call's index within the fill.</param>
/// <param name="Task">The nested hole's task.</param>
/// <param name="ResultType">Its type, assembly-qualified.</param>
/// <param name="Values">The values handed to it explicitly (they stay in the worker).</param>
/// <param name="Scope">The locals in scope at the call (they stay in the worker).</param>
internal sealed record NestedHole(long FillId, int Site, string Task, string ResultType, WireValue[] Values, WireValue[] Scope);

/// <summary>A call on a capability proxy in the worker, run on the real object in the host.</summary>
/// <param name="Handle">The capability.</param>
/// <param name="Interface">The interface the method is declared on, assembly-qualified.</param>
/// <param name="MethodToken">The method's metadata token in that interface's module.</param>
/// <param name="GenericArguments">Type arguments of a generic method, assembly-qualified.</param>
/// <param name="Arguments">The arguments.</param>
internal sealed record CapabilityCall(long Handle, string Interface, int MethodToken, string[] GenericArguments, WireValue[] Arguments);

/// <summary>A call of a delegate that lives on the other side.</summary>
/// <param name="Handle">The delegate.</param>
/// <param name="Arguments">The arguments.</param>
internal sealed record DelegateCall(long Handle, WireValue[] Arguments);

/// <summary>The outcome of a call across the boundary: a value, or what it threw.</summary>
internal sealed record CallResult(WireValue? Value, FillFault? Fault);
