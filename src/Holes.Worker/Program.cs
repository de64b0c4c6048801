using Holes.Worker;
using StreamJsonRpc;

// The Holes worker (HoleIsolation.Process). The host starts it, under bubblewrap where it can, and speaks JSON-RPC over
// its stdin and stdout. Nothing else may write to stdout: console output of fills is forwarded to the host instead.
var input = Console.OpenStandardInput();
var output = Console.OpenStandardOutput();
AssemblyResolver.Install();

// A fill past its stack budget: in the worker the answer is to end the process, which the host reports as a stack
// overflow and replaces (a parked thread would only hold the fill until its wall-time budget).
Holes.Runtime.RunBudget.StackExhausted = static () =>
{
    var error = Console.OpenStandardError();
    error.Write("Stack overflow: the fill went past its stack budget.\n"u8);
    error.Flush();
    Environment.Exit(134);
};

var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(output, input, new SystemTextJsonFormatter()));
var service = new WorkerService(rpc);
rpc.AddLocalRpcTarget(service, new JsonRpcTargetOptions { DisposeOnDisconnect = false });
Console.SetOut(new ConsoleForwarder(rpc));
rpc.StartListening();
try
{
    await rpc.Completion;
}
catch (Exception ex) when (ex is not OutOfMemoryException)
{
    // The host went away or the stream broke: either way this worker is done.
}

// The host is gone: end now, even if a fill is still spinning on another thread.
Environment.Exit(0);
