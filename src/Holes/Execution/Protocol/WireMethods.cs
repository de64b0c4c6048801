namespace Holes.Execution.Protocol;

/// <summary>The JSON-RPC method names of the host–worker protocol.</summary>
internal static class WireMethods
{
    // Host → worker.
    public const string Start = "start";
    public const string Run = "run";
    public const string Cancel = "cancel";
    public const string InvokeDelegate = "invokeDelegate";
    public const string Release = "release";
    public const string Restore = "restore";
    public const string Remove = "remove";

    // Worker → host.
    public const string NestedHole = "nestedHole";
    public const string Capability = "capability";
    public const string HostDelegate = "hostDelegate";
    public const string Console = "console";
}
