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

    /// <summary>The result of a run that could not write the table into <paramref name="assembly"/>, for <paramref name="reason"/>.</summary>
    public static EffectsResult Failed(string assembly, string reason) =>
        new(1, "", $"Holes.Effects: error: the Holes effect table could not be written into '{assembly}': {reason}. Rebuild the project; if it persists, report it with this message.");

    /// <summary>Reads a result a server wrote with <see cref="Write"/>.</summary>
    public static EffectsResult Read(BinaryReader reader) => new(reader.ReadInt32(), reader.ReadString(), reader.ReadString());
}
