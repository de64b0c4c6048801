using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Holes.Effects;
using Microsoft.CodeAnalysis;

namespace Holes.Generators.Tests;

/// <summary>
/// The build step rewrites the compiler's intermediate assembly in place: the table becomes assembly attributes the
/// runtime reads, the portable PDB still matches the image, and a second run (or a program without holes) changes nothing.
/// </summary>
public sealed class EffectRewriteTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("holes-effects-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_table_is_written_into_the_assembly_with_a_matching_pdb_and_a_second_run_leaves_it_alone()
    {
        string assembly = Build("""
            using System.Diagnostics;
            public sealed class Shell { public void Run(string command) => Process.Start(command); }
            public static class Maths { private static readonly int[] s_table = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }; public static int Twice(int x) => 2 * x + s_table.Length - "ten chars!".Length; }
            public static class HoleUser { public static Task<int> AskAsync() => Holes.Agents.agent<int>("count"); }
            """);
        byte[] pdbBefore = File.ReadAllBytes(Path.ChangeExtension(assembly, ".pdb"));
        Assert.Equal(EffectsOutcome.Written, AssemblyEffects.RewriteFile(assembly, ReferencePaths()));

        // Rows, bodies and the debug directory are copied as they were, so the compiler's PDB is still the right one.
        Assert.Equal(pdbBefore, File.ReadAllBytes(Path.ChangeExtension(assembly, ".pdb")));

        // And the rewritten image loads and runs.
        var context = new System.Runtime.Loader.AssemblyLoadContext("rewritten", isCollectible: true);
        try
        {
            System.Reflection.Assembly loaded = context.LoadFromAssemblyPath(assembly);
            Assert.Equal(42, loaded.GetType("Maths")!.GetMethod("Twice")!.Invoke(null, [21]));
            Assert.Contains(loaded.GetCustomAttributesData(), a => a.AttributeType.Name == "HoleEffectsAnalyzedAttribute");
        }
        finally
        {
            context.Unload();
        }

        // Read back as the runtime reads it: attributes on the assembly's metadata symbol.
        Compilation reader = GeneratorHarness.Compile("public static class Reader { }").AddReferences(MetadataReference.CreateFromFile(assembly));
        var host = (IAssemblySymbol)reader.GetAssemblyOrModuleSymbol(reader.References.Last())!;
        var attributes = host.GetAttributes().Select(a => (a.AttributeClass!.Name, Arguments: string.Join("|", a.ConstructorArguments.Select(c => c.Value)))).ToList();
        Assert.Contains(("HoleEffectsAnalyzedAttribute", ""), attributes);
        Assert.Contains(("HoleEffectAttribute", "T:Shell|Shell.Run → System.Diagnostics.Process.Start"), attributes);
        Assert.Contains(("HoleEffectFreeAttribute", "M:Maths.Twice(System.Int32)"), attributes);

        // The PDB the rewrite wrote is the one the image points to.
        using (var pe = new PEReader(File.OpenRead(assembly)))
        {
            Assert.True(pe.TryOpenAssociatedPortablePdb(assembly, File.OpenRead, out MetadataReaderProvider? pdb, out _));
            using (pdb)
            {
                Assert.NotEmpty(pdb!.GetMetadataReader().MethodDebugInformation);
            }
        }

        byte[] once = File.ReadAllBytes(assembly);
        Assert.Equal(EffectsOutcome.AlreadyAnalyzed, AssemblyEffects.RewriteFile(assembly, ReferencePaths()));
        Assert.Equal(once, File.ReadAllBytes(assembly));
    }

    [Fact]
    public void An_image_the_copy_leaves_to_cecil_is_rewritten_with_a_new_pdb_that_matches_it()
    {
        // A P/Invoke (an ImplMap row) is one of the shapes the metadata-preserving copy does not take.
        string assembly = Build("""
            using System.Runtime.InteropServices;
            public static class Native { [DllImport("libc")] public static extern int getpid(); }
            public static class Maths { public static int Twice(int x) => 2 * x; }
            public static class HoleUser { public static Task<int> AskAsync() => Holes.Agents.agent<int>("count"); }
            """);
        byte[] pdbBefore = File.ReadAllBytes(Path.ChangeExtension(assembly, ".pdb"));

        Assert.Equal(EffectsOutcome.Written, AssemblyEffects.RewriteFile(assembly, ReferencePaths()));

        Assert.NotEqual(pdbBefore, File.ReadAllBytes(Path.ChangeExtension(assembly, ".pdb")));
        using (var pe = new PEReader(File.OpenRead(assembly)))
        {
            Assert.True(pe.TryOpenAssociatedPortablePdb(assembly, File.OpenRead, out MetadataReaderProvider? pdb, out _));
            using (pdb)
            {
                Assert.NotEmpty(pdb!.GetMetadataReader().MethodDebugInformation);
            }

            MetadataReader metadata = pe.GetMetadataReader();
            Assert.Contains(metadata.CustomAttributes, a => metadata.GetCustomAttribute(a).Parent.Kind == HandleKind.AssemblyDefinition &&
                metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)metadata.GetMemberReference((MemberReferenceHandle)metadata.GetCustomAttribute(a).Constructor).Parent).Name) == "HoleEffectFreeAttribute");
        }
    }

    [Fact]
    public void A_program_without_holes_is_left_as_the_compiler_wrote_it()
    {
        // It names a Holes type, so the compiler keeps the reference to Holes; it has no hole.
        string assembly = Build("public static class Tools { public static int One() => 1; public static Holes.HoleStatus Status => default; }");
        byte[] before = File.ReadAllBytes(assembly);

        Assert.Equal(EffectsOutcome.NoHoles, AssemblyEffects.RewriteFile(assembly, ReferencePaths()));
        Assert.Equal(before, File.ReadAllBytes(assembly));
    }

    /// <summary>Compiles with the generator and writes the assembly and its portable PDB to disk, as CoreCompile does.</summary>
    private string Build(string source) => EffectImages.Build(_directory, source);

    private static IEnumerable<string> ReferencePaths() => EffectImages.ReferencePaths();
}
