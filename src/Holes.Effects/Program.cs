using Holes.Effects;

// holes-effects <assembly> [@references.rsp | reference.dll ...] [--key-file <snk>]
// Run by the Holes build targets after CoreCompile on the intermediate assembly; exit code 0 unless it failed.
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: Holes.Effects <assembly.dll> [@references.rsp | reference.dll ...] [--key-file <key.snk>]");
    Console.Error.WriteLine("Writes the Holes effect table into a compiled assembly that uses holes (run by the Holes build targets after CoreCompile).");
    return args.Length == 0 ? 2 : 0;
}

var assembly = args[0];
var references = new List<string>();
string? keyFile = null;
for (var i = 1; i < args.Length; i++)
{
    if (args[i] == "--key-file" && i + 1 < args.Length)
    {
        keyFile = args[++i];
    }
    else if (args[i].StartsWith('@'))
    {
        references.AddRange(File.ReadAllLines(args[i][1..]).Select(l => l.Trim()).Where(l => l.Length > 0));
    }
    else
    {
        references.Add(args[i]);
    }
}

try
{
    NoCollections.Start(assembly);
    var outcome = AssemblyEffects.RewriteFile(assembly, references, keyFile);
    Console.WriteLine($"Holes.Effects: {Path.GetFileName(assembly)}: {outcome}");
    return 0;
}
catch (Exception ex) when (ex is IOException or BadImageFormatException or UnauthorizedAccessException or InvalidOperationException)
{
    Console.Error.WriteLine($"Holes.Effects: error: the Holes effect table could not be written into '{assembly}': {ex.Message}. Rebuild the project; if it persists, report it with this message.");
    return 1;
}
