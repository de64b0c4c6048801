using System.Globalization;
using Holes.Effects;

// holes-effects <assembly> [@references.rsp | reference.dll ...] [--key-file <snk>] [--shared [--shared-name <name>]]
// holes-effects --serve [--shared-name <name>] [--idle <seconds>]
// holes-effects --shutdown [--shared-name <name>]
// Run by the Holes build targets after CoreCompile on the intermediate assembly; exit code 0 unless it failed.
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: Holes.Effects <assembly.dll> [@references.rsp | reference.dll ...] [--key-file <key.snk>] [--shared]");
    Console.Error.WriteLine("       Holes.Effects --serve [--idle <seconds>] | --shutdown");
    Console.Error.WriteLine("Writes the Holes effect table into a compiled assembly that uses holes (run by the Holes build targets after CoreCompile).");
    Console.Error.WriteLine("--shared hands the run to the user's shared server of this tool (started on first use, gone after --idle seconds without a run, 600 by default).");
    return args.Length == 0 ? 2 : 0;
}

var rest = new List<string>();
var shared = false;
string? sharedName = null;
var idle = TimeSpan.FromMinutes(10);
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--shared":
            shared = true;
            break;
        case "--shared-name" when i + 1 < args.Length:
            sharedName = args[++i];
            break;
        case "--idle" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
            idle = TimeSpan.FromSeconds(seconds);
            i++;
            break;
        default:
            rest.Add(args[i]);
            break;
    }
}

if (rest is ["--serve"])
{
    return SharedEndpoint.For(sharedName) is { } served ? SharedServer.Serve(served, idle) : 1;
}

if (rest is ["--shutdown"])
{
    if (SharedEndpoint.For(sharedName) is { } stopped && SharedClient.Shutdown(stopped))
    {
        Console.WriteLine("Holes.Effects: the shared server stopped.");
    }

    return 0;
}

var request = EffectsRequest.Parse(rest);
if (shared && SharedEndpoint.For(sharedName) is { } endpoint && SharedClient.TryRun(endpoint, request) is { } answered)
{
    // Said in the build's detailed log, so that a developer can tell where the step ran.
    return (answered.Output.Length > 0 ? answered with { Output = answered.Output + " (shared server)" } : answered).Report();
}

return EffectsRun.Run(request).Report();
