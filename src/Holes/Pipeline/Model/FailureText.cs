using System.Text;
using System.Text.RegularExpressions;

namespace Holes.Pipeline.Model;

/// <summary>
/// Describes a model call's failure in one line, saying each thing once: a client that retried on its own throws an
/// aggregate whose message repeats the same cause for every try, and wrappers repeat their cause's message.
/// </summary>
internal static partial class FailureText
{
    private const int MaxMessage = 300;

    public static string Describe(Exception exception)
    {
        var parts = new List<(string Text, int Count)>();
        foreach (var e in ProviderFailure.Chain(exception))
        {
            if (e is AggregateException)
            {
                continue;
            }

            var message = Clean(e.Message);
            var text = $"{e.GetType().Name}: {message}";
            var index = parts.FindIndex(p => p.Text == text);
            if (index >= 0)
            {
                parts[index] = (text, parts[index].Count + 1);
            }
            else if (!parts.Exists(p => message.Length > 0 && p.Text.Contains(message, StringComparison.Ordinal)))
            {
                parts.Add((text, 1));
            }
        }

        var result = new StringBuilder();
        foreach (var (text, count) in parts)
        {
            if (result.Length > 0)
            {
                result.Append(" Cause: ");
            }

            result.Append(text.TrimEnd());
            if (count > 1)
            {
                result.Append(" (").Append(count).Append(" times)");
            }
        }

        return result.Length == 0 ? exception.GetType().Name : result.ToString();
    }

    /// <summary>The message on one line, without a long response body.</summary>
    private static string Clean(string message)
    {
        var oneLine = Whitespace().Replace(message, " ").Trim();
        return oneLine.Length <= MaxMessage ? oneLine : oneLine[..(MaxMessage - 3)] + "...";
    }

    [GeneratedRegex(@"\s+", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Whitespace();
}
