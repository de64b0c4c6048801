using System.Collections;
using System.Globalization;
using System.Text;

namespace Holes.Pipeline.Prompt;

/// <summary>
/// A short, safe rendering of a value for the prompt. Only materialised collections are listed (a lazy sequence is
/// never enumerated), and a value whose ToString throws is shown as such.
/// </summary>
internal static class ValuePreview
{
    private const int MaxLength = 160;
    private const int MaxItems = 8;

    public static string Of(object? value)
    {
        try
        {
            var text = Render(value, nested: false);
            return text.Length <= MaxLength ? text : text[..(MaxLength - 1)] + "…";
        }
        catch (Exception ex)
        {
            return $"<could not be shown: {ex.GetType().Name}>";
        }
    }

    private static string Render(object? value, bool nested) => value switch
    {
        null => "null",
        string s => Quote(s),
        char c => $"'{c}'",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IDictionary dictionary when !nested => Items(dictionary.Count, Entries(dictionary)),
        ICollection collection when !nested => Items(collection.Count, collection.Cast<object?>()),
        IEnumerable when nested => "[…]",
        IEnumerable and not ICollection => "(a sequence; not enumerated here)",
        Delegate => "(a function)",
        _ => value.ToString() ?? "",
    };

    private static IEnumerable<object?> Entries(IDictionary dictionary)
    {
        foreach (DictionaryEntry entry in dictionary)
        {
            yield return $"{Render(entry.Key, nested: true)}: {Render(entry.Value, nested: true)}";
        }
    }

    private static string Items(int count, IEnumerable<object?> items)
    {
        var builder = new StringBuilder("[");
        var shown = 0;
        foreach (var item in items)
        {
            if (shown == MaxItems)
            {
                builder.Append(", …");
                break;
            }

            builder.Append(shown == 0 ? "" : ", ").Append(item is string s && s.Contains(": ", StringComparison.Ordinal) ? s : Render(item, nested: true));
            shown++;
        }

        return builder.Append("] (").Append(count).Append(count == 1 ? " item)" : " items)").ToString();
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
