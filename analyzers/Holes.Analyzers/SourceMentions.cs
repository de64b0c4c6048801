using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Holes.Analyzers;

/// <summary>
/// Whether any source of a compilation could name an identifier: its text contains the name, or a Unicode escape (an
/// identifier may spell a letter as <c>\u0061</c>). A compilation whose sources never name <c>agent</c> or
/// <c>Reveal</c> has no hole and no reveal, and the analyzers need not register the node actions that would be called
/// for every invocation and member access of the program.
/// </summary>
internal static class SourceMentions
{
    private const int ChunkSize = 8192;

    public static bool MayName(Compilation compilation, string name, CancellationToken cancellationToken)
    {
        char[] buffer = new char[ChunkSize + name.Length];
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            if (MayName(tree.GetText(cancellationToken), name, buffer, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Scans the text in chunks (no copy of a whole file), each chunk overlapping the last by the name's length less one.</summary>
    private static bool MayName(SourceText text, string name, char[] buffer, CancellationToken cancellationToken)
    {
        int overlap = Math.Max(name.Length, 2) - 1;
        int carried = 0;
        for (int start = 0; start < text.Length; start += ChunkSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(ChunkSize, text.Length - start);
            text.CopyTo(start, buffer, carried, count);
            int length = carried + count;
            ReadOnlySpan<char> chunk = buffer.AsSpan(0, length);
            if (chunk.IndexOf(name.AsSpan(), StringComparison.Ordinal) >= 0 || chunk.IndexOf("\\u".AsSpan(), StringComparison.Ordinal) >= 0
                || chunk.IndexOf("\\U".AsSpan(), StringComparison.Ordinal) >= 0)
            {
                return true;
            }

            carried = Math.Min(overlap, length);
            Array.Copy(buffer, length - carried, buffer, 0, carried);
        }

        return false;
    }
}
