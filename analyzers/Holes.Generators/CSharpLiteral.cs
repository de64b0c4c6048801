using Microsoft.CodeAnalysis.CSharp;

namespace Holes.Generators;

/// <summary>Writes strings as C# literals that compile back to exactly the same value.</summary>
internal static class CSharpLiteral
{
    /// <summary>
    /// Multi-line text (declarations, enclosing source) as a verbatim literal so the generated file stays
    /// readable; anything else, or text with control characters a reader cannot see, as an escaped literal.
    /// </summary>
    public static string String(string value)
    {
        if (value.IndexOf('\n') >= 0 && IsVerbatimSafe(value))
        {
            return "@\"" + value.Replace("\"", "\"\"") + "\"";
        }

        return SymbolDisplay.FormatLiteral(value, quote: true);
    }

    private static bool IsVerbatimSafe(string value)
    {
        foreach (char c in value)
        {
            if (c == '\n' || c == '\t')
            {
                continue;
            }

            // Other control and line-separator characters would be invisible or rewrite line endings.
            if (char.IsControl(c) || c == '\u0085' || c == '\u2028' || c == '\u2029')
            {
                return false;
            }
        }

        return true;
    }
}
