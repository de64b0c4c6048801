using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace Holes.Generators.Tests;

/// <summary>Compiled programs on disk for the build step's tests, as the compiler leaves them in obj/ (with their portable PDB).</summary>
internal static class EffectImages
{
    /// <summary>Runs the generator on <paramref name="source"/>, emits it as <c>Host.dll</c> in <paramref name="directory"/>, and returns its path.</summary>
    public static string Build(string directory, string source)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        outcome.AssertCompilesCleanly();
        string assembly = Path.Combine(directory, "Host.dll");
        using (FileStream image = File.Create(assembly))
        using (FileStream pdb = File.Create(Path.ChangeExtension(assembly, ".pdb")))
        {
            EmitResult result = outcome.Output.Emit(image, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb, pdbFilePath: "Host.pdb"));
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        }

        return assembly;
    }

    /// <summary>Files on disk, as MSBuild passes them: the running framework's assemblies and Holes.dll.</summary>
    public static IEnumerable<string> ReferencePaths() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Append(typeof(Holes.Agents).Assembly.Location);
}
