using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Holes.Rules;
using Microsoft.CodeAnalysis;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Holes.Effects;

/// <summary>
/// The build step's entry points: compute a compiled program's effect table from its IL, and write it into the
/// assembly as the attributes the Holes runtime reads.
/// </summary>
/// <remarks>
/// The compiler has bound and lowered every body by the time this runs; the IL names every call target, every static
/// field read, write and address, and lambdas, local functions, iterators and async methods are ordinary methods. So
/// the table costs one pass over the image instead of a second binding of every body in the generator.
/// </remarks>
public static class AssemblyEffects
{
    /// <summary>
    /// Computes the effect table of a compiled program. <see langword="null"/> when the program needs none (it does not
    /// reference Holes, or has no holes and does not run code through a session).
    /// </summary>
    /// <param name="image">The program's assembly, as the compiler emitted it.</param>
    /// <param name="references">The references it was compiled against (the framework's, Holes, its libraries).</param>
    public static EffectTableResult? Analyze(byte[] image, IEnumerable<MetadataReference> references)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(references);
        using var stream = new MemoryStream(image, writable: false);
        using var module = ModuleDefinition.ReadModule(stream, new ReaderParameters { ReadingMode = ReadingMode.Deferred });
        return HoleUse.ReferencesHoles(module) && HoleUse.UsesHoles(module)
            ? Compute(module, image, references)
            : null;
    }

    /// <summary>
    /// Computes the table and writes a copy of the assembly that carries it, with its portable PDB (a separate one into
    /// <paramref name="symbolsOutput"/>, or one embedded in the image) rewritten to match.
    /// </summary>
    /// <param name="image">The assembly to read.</param>
    /// <param name="symbols">Its portable PDB, or <see langword="null"/> when it has none or embeds it.</param>
    /// <param name="output">Where the rewritten assembly goes; nothing is written to it unless the outcome is <see cref="EffectsOutcome.Written"/>.</param>
    /// <param name="symbolsOutput">Where the rewritten PDB goes, when <paramref name="symbols"/> was given.</param>
    /// <param name="references">The references it was compiled against.</param>
    /// <param name="strongNameKey">The key pair to sign the rewritten assembly with, when it was signed.</param>
    public static EffectsOutcome Rewrite(byte[] image, byte[]? symbols, Stream output, Stream? symbolsOutput, IEnumerable<MetadataReference> references, byte[]? strongNameKey = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(references);

        EffectTableResult table;
        using (var analysed = new MemoryStream(image, writable: false))
        using (var reader = ModuleDefinition.ReadModule(analysed, new ReaderParameters { ReadingMode = ReadingMode.Deferred }))
        {
            if (HoleUse.HolesReference(reader) is null)
            {
                return EffectsOutcome.NoHolesReference;
            }

            if (EffectAttributes.IsAnalyzed(reader.Assembly))
            {
                return EffectsOutcome.AlreadyAnalyzed;
            }

            if (!HoleUse.UsesHoles(reader))
            {
                return EffectsOutcome.NoHoles;
            }

            table = Compute(reader, image, references);
        }

        // Most images are copied with their rows and bodies as they are, and their PDB stays valid unchanged; the rest
        // (signed, mixed-mode, with marshalling or security metadata) are rewritten by Cecil with a new PDB.
        using (var copy = new MemoryStream())
        {
            if (TryCopy(image, table, copy))
            {
                copy.Position = 0;
                copy.CopyTo(output);
                if (symbols is not null && symbolsOutput is not null)
                {
                    symbolsOutput.Write(symbols);
                }

                return EffectsOutcome.Written;
            }
        }

        WriteWithCecil(image, symbols, output, symbolsOutput, table, strongNameKey);
        return EffectsOutcome.Written;
    }

    /// <summary>The copy, or false when the image is of a kind it does not copy or its metadata is not as the copy expects (Cecil then writes it).</summary>
    private static bool TryCopy(byte[] image, EffectTableResult table, Stream output)
    {
        try
        {
            return ImageCopier.TryCopy(image, (metadata, holes) => EffectAttributeRows.Rows(metadata, holes, table), output);
        }
        catch (Exception ex) when (ex is InvalidOperationException or BadImageFormatException or ArgumentException)
        {
            // The metadata builder checks table order and row references as it serialises; an image it refuses is
            // still a valid image, for Cecil.
            output.SetLength(0);
            return false;
        }
    }

    private static void WriteWithCecil(byte[] image, byte[]? symbols, Stream output, Stream? symbolsOutput, EffectTableResult table, byte[]? strongNameKey)
    {
        using var imageStream = new MemoryStream(image, writable: false);
        using var symbolStream = symbols is null ? null : new MemoryStream(symbols, writable: false);
        using var module = ModuleDefinition.ReadModule(imageStream, new ReaderParameters
        {
            ReadingMode = ReadingMode.Deferred,
            ReadSymbols = symbolStream is not null,
            SymbolStream = symbolStream,
            SymbolReaderProvider = symbolStream is null ? null : new PortablePdbReaderProvider(),
        });

        var embedded = symbolStream is null && HasEmbeddedPdb(module);
        if (embedded)
        {
            module.ReadSymbols(new EmbeddedPortablePdbReaderProvider().GetSymbolReader(module, ""));
        }

        // The module written never decodes a body (the analysis read its own): Cecil copies each body as the
        // compiler wrote it instead of encoding it again.
        EffectAttributes.Add(module.Assembly, HoleUse.HolesReference(module)!, table);

        var parameters = new WriterParameters { DeterministicMvid = true, StrongNameKeyBlob = strongNameKey };
        if (symbolStream is not null && symbolsOutput is not null)
        {
            parameters.WriteSymbols = true;
            parameters.SymbolWriterProvider = new PortablePdbWriterProvider();
            parameters.SymbolStream = symbolsOutput;
        }
        else if (embedded)
        {
            parameters.WriteSymbols = true;
            parameters.SymbolWriterProvider = new EmbeddedPortablePdbWriterProvider();
        }

        module.Write(output, parameters);
    }

    /// <summary>Rewrites a compiled assembly in place (and the portable PDB beside it), as the MSBuild step does after CoreCompile.</summary>
    /// <param name="assemblyPath">The intermediate assembly (obj/.../Program.dll).</param>
    /// <param name="referencePaths">The paths of the assemblies it was compiled against.</param>
    /// <param name="strongNameKeyPath">The key file it was signed with, if any.</param>
    public static EffectsOutcome RewriteFile(string assemblyPath, IEnumerable<string> referencePaths, string? strongNameKeyPath = null)
    {
        ArgumentNullException.ThrowIfNull(assemblyPath);
        ArgumentNullException.ThrowIfNull(referencePaths);
        var image = File.ReadAllBytes(assemblyPath);
        var pdbPath = Path.ChangeExtension(assemblyPath, ".pdb");
        var symbols = File.Exists(pdbPath) ? File.ReadAllBytes(pdbPath) : null;
        var references = referencePaths
            .Where(p => !string.Equals(Path.GetFullPath(p), Path.GetFullPath(assemblyPath), StringComparison.Ordinal))
            .Select(p => MetadataReference.CreateFromFile(p))
            .ToList();

        using var output = new MemoryStream();
        using var symbolsOutput = symbols is null ? null : new MemoryStream();
        var outcome = Rewrite(image, symbols, output, symbolsOutput, references, strongNameKeyPath is null ? null : File.ReadAllBytes(strongNameKeyPath));
        if (outcome != EffectsOutcome.Written)
        {
            return outcome;
        }

        // Written only once the whole image is ready: a failure leaves the compiler's assembly as it was.
        File.WriteAllBytes(assemblyPath, output.ToArray());
        if (symbolsOutput is not null)
        {
            File.WriteAllBytes(pdbPath, symbolsOutput.ToArray());
        }

        return outcome;
    }

    private static EffectTableResult Compute(ModuleDefinition module, byte[] image, IEnumerable<MetadataReference> references)
    {
        // Shared, not copied: nothing writes to the image while it is read.
        var bytes = ImmutableCollectionsMarshal.AsImmutableArray(image);

        // Roslyn's symbols for the program and its references, and the compiler's generated methods (from Cecil's
        // decoding of every body), are independent until the types are summarised: read them side by side, which
        // takes a fifth off the step's wall-clock time on a 500-file program.
        var reading = Task.Run(() => new ProgramSymbols(module, MetadataReference.CreateFromImage(bytes), references));
        var generated = new CompilerGenerated(module, bytes);
        var symbols = reading.GetAwaiter().GetResult();
        var judge = new ReferenceJudge(symbols);
        var summarizer = new TypeSummarizer(judge, generated);
        var summaries = new List<TypeEffects>();
        foreach (var type in module.GetTypes())
        {
            if (TypeSummarizer.IsSummarized(type) && summarizer.Summarize(type) is { } summary)
            {
                summaries.Add(summary);
            }
        }

        var table = EffectGraph.Compute(summaries);
        var effects = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in table.Effects)
        {
            effects[entry.Id] = entry.Path;
        }

        return new EffectTableResult(effects, table.EffectFree.ToList());
    }

    private static bool HasEmbeddedPdb(ModuleDefinition module) =>
        module.HasDebugHeader && module.GetDebugHeader().Entries.Any(e => e.Directory.Type == ImageDebugType.EmbeddedPortablePdb);
}
