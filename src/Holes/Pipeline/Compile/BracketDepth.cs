namespace Holes.Pipeline.Compile;

/// <summary>
/// A lexical guard that runs before Roslyn parses a fill: brackets nested deeper than <see cref="CompileBudget.MaxDepth"/>
/// are refused (HOLE0006) at once. Roslyn's parser copes with deep nesting, but slowly (20,000 nested parentheses took
/// over half a minute, speculating at each one whether it opens a cast, a tuple or a lambda), so the syntax-tree check
/// that follows parsing came too late to keep the compile budget.
/// </summary>
/// <remarks>
/// It counts <c>(</c>, <c>[</c> and <c>{</c> outside comments, character literals and string literals (regular,
/// verbatim and raw; the holes of interpolated strings count as code). It only ever refuses code whose syntax tree would
/// be deeper still, since every bracket adds at least one level to the tree.
/// </remarks>
internal static class BracketDepth
{
    /// <summary>HOLE0006 for brackets nested too deeply, at the first bracket past the limit; otherwise null.</summary>
    public static HoleDiagnostic? Check(string code)
    {
        var depth = 0;
        // For each open interpolated string: the bracket depth at which its current hole started (-1 outside a hole).
        var interpolations = new Stack<(int HoleDepth, bool Verbatim, int Quotes)>();
        var i = 0;
        while (i < code.Length)
        {
            var c = code[i];
            if (interpolations.Count > 0 && interpolations.Peek().HoleDepth < 0)
            {
                // Inside the text of an interpolated string.
                var (_, verbatim, quotes) = interpolations.Peek();
                if (c == '{' && At(code, i + 1) == '{' && quotes == 0)
                {
                    i += 2;
                }
                else if (c == '{')
                {
                    interpolations.Pop();
                    interpolations.Push((depth, verbatim, quotes));
                    i++;
                }
                else if (quotes > 0 ? EndsRaw(code, i, quotes) : c == '"' && !(verbatim && At(code, i + 1) == '"'))
                {
                    interpolations.Pop();
                    i += Math.Max(1, quotes);
                }
                else
                {
                    i += c == '\\' && !verbatim && quotes == 0 || verbatim && c == '"' ? 2 : 1;
                }

                continue;
            }

            switch (c)
            {
                case '/' when At(code, i + 1) == '/':
                    while (i < code.Length && code[i] != '\n')
                    {
                        i++;
                    }

                    continue;
                case '/' when At(code, i + 1) == '*':
                    var end = code.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = end < 0 ? code.Length : end + 2;
                    continue;
                case '\'':
                    i = SkipQuoted(code, i + 1, '\'', verbatim: false);
                    continue;
                case '$' or '@' or '"':
                    i = StartString(code, i, interpolations, depth);
                    continue;
                case '(' or '[' or '{':
                    depth++;
                    if (depth > CompileBudget.MaxDepth)
                    {
                        var (line, column) = Position(code, i);
                        return new HoleDiagnostic(Holes.Rules.HoleDiagnosticIds.TooComplex, HoleDiagnosticSeverity.Error,
                            $"The code nests brackets more than {CompileBudget.MaxDepth} levels deep here; the compiler would spend too long on it. " +
                            "Flatten it: use intermediate variables, loops, or smaller expressions.", line, column);
                    }

                    break;
                case ')' or ']':
                    depth = Math.Max(0, depth - 1);
                    break;
                case '}':
                    if (interpolations.Count > 0 && interpolations.Peek().HoleDepth == depth)
                    {
                        // The end of an interpolation hole: back to the string's text.
                        var (_, verbatim, quotes) = interpolations.Pop();
                        interpolations.Push((-1, verbatim, quotes));
                    }
                    else
                    {
                        depth = Math.Max(0, depth - 1);
                    }

                    break;
            }

            i++;
        }

        return null;
    }

    /// <summary>Skips a string literal starting at <paramref name="i"/> (its prefix included); an interpolated one is pushed instead.</summary>
    private static int StartString(string code, int i, Stack<(int HoleDepth, bool Verbatim, int Quotes)> interpolations, int depth)
    {
        var start = i;
        var interpolated = false;
        var verbatim = false;
        while (i < code.Length && code[i] is '$' or '@')
        {
            interpolated |= code[i] == '$';
            verbatim |= code[i] == '@';
            i++;
        }

        if (At(code, i) != '"')
        {
            // '$' or '@' not starting a string (an identifier like @class): move on.
            return start + 1;
        }

        var quotes = 0;
        while (At(code, i + quotes) == '"')
        {
            quotes++;
        }

        if (quotes >= 3)
        {
            if (interpolated)
            {
                interpolations.Push((-1, true, quotes));
                return i + quotes;
            }

            var close = code.IndexOf(new string('"', quotes), i + quotes, StringComparison.Ordinal);
            return close < 0 ? code.Length : close + quotes;
        }

        if (quotes == 2 && !interpolated)
        {
            // The empty string "".
            return i + 2;
        }

        if (interpolated)
        {
            interpolations.Push((-1, verbatim, 0));
            return i + 1;
        }

        return SkipQuoted(code, i + 1, '"', verbatim);
    }

    private static int SkipQuoted(string code, int i, char quote, bool verbatim)
    {
        while (i < code.Length)
        {
            var c = code[i];
            if (c == quote)
            {
                if (verbatim && At(code, i + 1) == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            if (c == '\n' && !verbatim)
            {
                return i + 1;
            }

            i += c == '\\' && !verbatim ? 2 : 1;
        }

        return i;
    }

    private static bool EndsRaw(string code, int i, int quotes) => string.CompareOrdinal(code, i, new string('"', quotes), 0, quotes) == 0;

    private static char At(string code, int i) => i < code.Length ? code[i] : '\0';

    private static (int Line, int Column) Position(string code, int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (code[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart + 1);
    }
}
