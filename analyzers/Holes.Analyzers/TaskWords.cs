using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Holes.Analyzers;

/// <summary>A whole word of a hole's task text, with where it is written when that can be pinned down.</summary>
internal readonly struct TaskWord
{
    public TaskWord(string text, Location location)
    {
        Text = text;
        Location = location;
    }

    public string Text { get; }

    public Location Location { get; }
}

/// <summary>
/// The identifier-like words of a task written as a string literal or an interpolated string (its text parts only:
/// an interpolation hands the value's text to the model, not the variable).
/// </summary>
internal static class TaskWords
{
    // Words too common in English prose to be read as a variable's name.
    private static readonly HashSet<string> s_prose = new(System.StringComparer.Ordinal) { "a", "A", "I" };

    public static List<TaskWord> Find(SyntaxNode? task)
    {
        var words = new List<TaskWord>();
        switch (task)
        {
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                Collect(literal.Token, literal.Token.ValueText, literal.GetLocation(), words);
                break;
            case InterpolatedStringExpressionSyntax interpolated:
                foreach (InterpolatedStringContentSyntax content in interpolated.Contents)
                {
                    if (content is InterpolatedStringTextSyntax text)
                    {
                        Collect(text.TextToken, text.TextToken.ValueText, text.GetLocation(), words);
                    }
                }

                break;
        }

        return words;
    }

    private static void Collect(SyntaxToken token, string value, Location fallback, List<TaskWord> words)
    {
        foreach (string word in Words(value))
        {
            if (!s_prose.Contains(word))
            {
                words.Add(new TaskWord(word, Locate(token, word) ?? fallback));
            }
        }
    }

    /// <summary>Maximal runs of identifier characters that start like an identifier.</summary>
    private static IEnumerable<string> Words(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            if (!SyntaxFacts.IsIdentifierPartCharacter(text[i]))
            {
                i++;
                continue;
            }

            int start = i;
            while (i < text.Length && SyntaxFacts.IsIdentifierPartCharacter(text[i]))
            {
                i++;
            }

            if (SyntaxFacts.IsIdentifierStartCharacter(text[start]))
            {
                yield return text.Substring(start, i - start);
            }
        }
    }

    /// <summary>
    /// The word's first whole-word occurrence in the source text of the token; one right after a backslash is part of
    /// an escape sequence (<c>\nxs</c>), and a word only the escapes spell is not found: the caller falls back.
    /// </summary>
    private static Location? Locate(SyntaxToken token, string word)
    {
        string source = token.Text;
        for (int at = source.IndexOf(word, System.StringComparison.Ordinal); at >= 0; at = source.IndexOf(word, at + 1, System.StringComparison.Ordinal))
        {
            int end = at + word.Length;
            bool wholeBefore = at == 0 || (!SyntaxFacts.IsIdentifierPartCharacter(source[at - 1]) && source[at - 1] != '\\');
            bool wholeAfter = end == source.Length || !SyntaxFacts.IsIdentifierPartCharacter(source[end]);
            if (wholeBefore && wholeAfter)
            {
                return Location.Create(token.SyntaxTree!, new TextSpan(token.SpanStart + at, word.Length));
            }
        }

        return null;
    }
}
