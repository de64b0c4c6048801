using Microsoft.CodeAnalysis;

namespace Holes.Effects;

/// <summary>What one run of the step printed and returned, wherever it ran (this process or the shared server).</summary>
/// <param name="ExitCode">0 unless the table could not be written.</param>
/// <param name="Output">The line for standard output (the outcome), or empty.</param>
/// <param name="Error">The message for standard error, or empty.</param>
internal sealed record EffectsResult(int ExitCode, string Output, string Error)
{
    /// <summary>Prints the result as the step's own output.</summary>
    public int Report()
    {
        if (Output.Length > 0)
        {
            Console.WriteLine(Output);
        }

        if (Error.Length > 0)
        {
            Console.Error.WriteLine(Error);
        }

        return ExitCode;
    }

    /// <summary>Writes the result back to the client that asked for it.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(ExitCode);
        writer.Write(Output);
        writer.Write(Error);
    }

    /// <summary>Reads a result a server wrote with <see cref="Write"/>.</summary>
    public static EffectsResult Read(BinaryReader reader) => new(reader.ReadInt32(), reader.ReadString(), reader.ReadString());
}

/// <summary>One run of the step on one assembly: the same code in this process and in the shared server.</summary>
internal static class EffectsRun
{
    /// <summary>Rewrites the request's assembly with its effect table.</summary>
    /// <param name="request">What to rewrite.</param>
    /// <param name="reference">Makes the metadata reference of a path (the shared server keeps them between builds).</param>
    public static EffectsResult Run(EffectsRequest request, Func<string, MetadataReference> reference)
    {
        try
        {
            NoCollections.Start(request.Assembly);
            var outcome = AssemblyEffects.RewriteFile(request.Assembly, request.References, request.KeyFile, reference);
            return new EffectsResult(0, $"Holes.Effects: {Path.GetFileName(request.Assembly)}: {outcome}", "");
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or UnauthorizedAccessException or InvalidOperationException)
        {
            return new EffectsResult(1, "", $"Holes.Effects: error: the Holes effect table could not be written into '{request.Assembly}': {ex.Message}. Rebuild the project; if it persists, report it with this message.");
        }
        finally
        {
            NoCollections.End();
        }
    }
}
