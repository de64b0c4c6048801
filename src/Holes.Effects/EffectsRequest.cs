using System.Text;

namespace Holes.Effects;

/// <summary>One run of the step: the compiled assembly to rewrite, what it was compiled against, and its signing key.</summary>
/// <param name="Assembly">The intermediate assembly, as a full path (a shared server runs in another directory).</param>
/// <param name="References">The full paths of the assemblies it was compiled against.</param>
/// <param name="KeyFile">The strong-name key file it was signed with, or <see langword="null"/>.</param>
internal sealed record EffectsRequest(string Assembly, IReadOnlyList<string> References, string? KeyFile)
{
    /// <summary>
    /// Reads the command line: <c>&lt;assembly&gt; [@references.rsp | reference.dll ...] [--key-file &lt;snk&gt;]</c>,
    /// with every path made full against the current directory.
    /// </summary>
    public static EffectsRequest Parse(IReadOnlyList<string> args)
    {
        var references = new List<string>();
        string? keyFile = null;
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] == "--key-file" && i + 1 < args.Count)
            {
                keyFile = Path.GetFullPath(args[++i]);
            }
            else if (args[i].StartsWith('@'))
            {
                references.AddRange(File.ReadAllLines(args[i][1..]).Select(l => l.Trim()).Where(l => l.Length > 0).Select(Path.GetFullPath));
            }
            else
            {
                references.Add(Path.GetFullPath(args[i]));
            }
        }

        return new EffectsRequest(Path.GetFullPath(args[0]), references, keyFile);
    }

    /// <summary>Writes the request to a shared server.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(Assembly);
        writer.Write(References.Count);
        foreach (var reference in References)
        {
            writer.Write(reference);
        }

        writer.Write(KeyFile ?? "");
    }

    /// <summary>Reads a request a client wrote with <see cref="Write"/>.</summary>
    public static EffectsRequest Read(BinaryReader reader)
    {
        var assembly = reader.ReadString();
        var count = reader.ReadInt32();
        if (count < 0 || count > 100_000)
        {
            throw new InvalidDataException($"A request named {count} references.");
        }

        var references = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            references.Add(reader.ReadString());
        }

        var keyFile = reader.ReadString();
        return new EffectsRequest(assembly, references, keyFile.Length == 0 ? null : keyFile);
    }

    /// <summary>The encoding of every string on the wire.</summary>
    public static readonly Encoding Wire = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
