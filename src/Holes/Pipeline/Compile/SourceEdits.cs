using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Holes.Pipeline.Compile;

/// <summary>
/// Text edits the engine makes to a fill (budget checks, variable capture, nested-hole scope) and the mapping
/// between the edited and the original text, so every diagnostic points at what the model actually wrote.
/// </summary>
/// <remarks>
/// Edits never contain line breaks, so lines are the same in both texts and only columns move.
/// Edits at the same position keep the order they were added in: the rewriter adds an enclosing statement's
/// opening text before an inner one's, and closing text inner-first, so nesting stays balanced.
/// </remarks>
internal sealed class SourceEdits
{
    private readonly List<Edit> _edits = [];
    private Edit[]? _sorted;

    public bool IsEmpty => _edits.Count == 0;

    public void Insert(int position, string text) => Add(position, 0, text);

    public void Replace(TextSpan span, string text) => Add(span.Start, span.Length, text);

    private void Add(int start, int length, string text)
    {
        _edits.Add(new Edit(start, length, text, _edits.Count));
        _sorted = null;
    }

    private Edit[] Sorted => _sorted ??= [.. _edits.OrderBy(e => e.Start).ThenBy(e => e.Sequence)];

    public string Apply(string original)
    {
        var builder = new StringBuilder(original.Length + (_edits.Count * 24));
        var cursor = 0;
        foreach (var edit in Sorted)
        {
            builder.Append(original, cursor, edit.Start - cursor).Append(edit.Text);
            cursor = edit.Start + edit.Length;
        }

        return builder.Append(original, cursor, original.Length - cursor).ToString();
    }

    /// <summary>Maps a position in the edited text back to the original; positions inside inserted text map to the edit.</summary>
    public int ToOriginal(int edited)
    {
        var delta = 0;
        foreach (var edit in Sorted)
        {
            var start = edit.Start + delta;
            if (edited < start)
            {
                break;
            }

            if (edited < start + edit.Text.Length)
            {
                return edit.Start;
            }

            delta += edit.Text.Length - edit.Length;
        }

        return edited - delta;
    }

    /// <summary>Maps a position in the original text forward; text inserted exactly at the position comes before it.</summary>
    public int ToEdited(int original)
    {
        var delta = 0;
        foreach (var edit in Sorted)
        {
            if (edit.Start < original || (edit.Start == original && edit.Length == 0))
            {
                delta += edit.Text.Length - edit.Length;
            }
            else
            {
                break;
            }
        }

        return original + delta;
    }

    /// <summary>The spans of the edited text that the engine wrote; the verifier does not hold them against the fill.</summary>
    public IReadOnlyList<TextSpan> GeneratedSpans()
    {
        var spans = new List<TextSpan>(_edits.Count);
        var delta = 0;
        foreach (var edit in Sorted)
        {
            spans.Add(new TextSpan(edit.Start + delta, edit.Text.Length));
            delta += edit.Text.Length - edit.Length;
        }

        return spans;
    }

    private readonly record struct Edit(int Start, int Length, string Text, int Sequence);
}
