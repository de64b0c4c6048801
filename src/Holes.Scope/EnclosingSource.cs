using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Holes.Scope;

/// <summary>
/// The code around a hole, which tells a model what the surrounding program is doing with the result far better
/// than the task text alone.
/// </summary>
internal static class EnclosingSource
{
    /// <summary>Appended right after the hole's call so the model can see which call it is filling.</summary>
    public const string HoleMarker = " /* <-- this hole */";

    /// <summary>
    /// Top-level programs are one long member; beyond this many lines around the hole the context stops helping.
    /// </summary>
    public const int TopLevelMaxLines = 60;

    /// <summary>The member (method, property, field, constructor, or top-level statement) that holds <paramref name="node"/>.</summary>
    public static MemberDeclarationSyntax? MemberOf(SyntaxNode node)
    {
        for (SyntaxNode? current = node.Parent; current is not null; current = current.Parent)
        {
            if (current is MemberDeclarationSyntax member and not BaseNamespaceDeclarationSyntax)
            {
                return member;
            }
        }

        return null;
    }

    /// <summary>
    /// The enclosing member for messages: <c>Main</c> for top-level statements, otherwise the containing types
    /// and the member (<c>Program.Run</c>, <c>Person.Person</c> for a constructor).
    /// </summary>
    public static string MemberName(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken = default)
    {
        MemberDeclarationSyntax? member = MemberOf(node);
        if (member is null)
        {
            return "";
        }

        if (member is GlobalStatementSyntax)
        {
            return "Main";
        }

        ISymbol? symbol = member switch
        {
            BaseFieldDeclarationSyntax field when field.Declaration.Variables.Count != 0
                => model.GetDeclaredSymbol(field.Declaration.Variables[0], cancellationToken),
            _ => model.GetDeclaredSymbol(member, cancellationToken),
        };
        if (symbol is null)
        {
            return "";
        }

        string name = symbol is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor
            ? constructor.ContainingType.Name
            : symbol.Name;
        var parts = new List<string> { name };
        for (INamedTypeSymbol? type = symbol.ContainingType; type is not null; type = type.ContainingType)
        {
            parts.Add(type.Name);
        }

        parts.Reverse();
        return string.Join(".", parts);
    }

    /// <summary>
    /// The source of the member around <paramref name="hole"/>, dedented, with <see cref="HoleMarker"/> after the
    /// hole and line endings normalized to <c>\n</c>. For top-level statements: all of the file's top-level
    /// statements, cut to <see cref="TopLevelMaxLines"/> lines around the hole.
    /// </summary>
    public static string Marked(SyntaxNode hole, CancellationToken cancellationToken = default)
    {
        MemberDeclarationSyntax? member = MemberOf(hole);
        if (member is null)
        {
            return "";
        }

        TextSpan span = member.Span;
        bool topLevel = false;
        if (member is GlobalStatementSyntax && member.Parent is CompilationUnitSyntax unit)
        {
            topLevel = true;
            int start = int.MaxValue;
            int end = 0;
            foreach (MemberDeclarationSyntax statement in unit.Members)
            {
                if (statement is GlobalStatementSyntax)
                {
                    start = Math.Min(start, statement.SpanStart);
                    end = Math.Max(end, statement.Span.End);
                }
            }

            span = TextSpan.FromBounds(start, end);
        }

        SourceText text = hole.SyntaxTree.GetText(cancellationToken);
        int lineStart = text.Lines.GetLineFromPosition(span.Start).Start;
        string indent = text.ToString(TextSpan.FromBounds(lineStart, span.Start));
        if (indent.Trim().Length != 0)
        {
            // Something else shares the first line; keep the column, drop the text.
            indent = new string(' ', indent.Length);
        }

        int holeEnd = hole.Span.End;
        string marked = indent
            + text.ToString(TextSpan.FromBounds(span.Start, holeEnd))
            + HoleMarker
            + text.ToString(TextSpan.FromBounds(holeEnd, span.End));

        List<string> lines = Dedent(marked.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n'));
        if (topLevel && lines.Count > TopLevelMaxLines)
        {
            lines = Window(lines, TopLevelMaxLines);
        }

        return string.Join("\n", lines);
    }

    private static List<string> Dedent(string[] lines)
    {
        int common = int.MaxValue;
        foreach (string line in lines)
        {
            int width = 0;
            while (width < line.Length && (line[width] == ' ' || line[width] == '\t'))
            {
                width++;
            }

            if (width < line.Length)
            {
                common = Math.Min(common, width);
            }
        }

        var result = new List<string>(lines.Length);
        foreach (string line in lines)
        {
            string trimmed = line.TrimEnd();
            result.Add(common == int.MaxValue || trimmed.Length < common ? trimmed.TrimStart() : trimmed.Substring(common));
        }

        return result;
    }

    private static List<string> Window(List<string> lines, int maxLines)
    {
        int holeLine = lines.FindIndex(line => line.IndexOf(HoleMarker, StringComparison.Ordinal) >= 0);
        int size = maxLines - 2; // room for the two elision lines
        int first = Math.Max(0, holeLine - (size / 2));
        int last = Math.Min(lines.Count, first + size);
        first = Math.Max(0, last - size);

        var window = new List<string>(maxLines);
        if (first > 0)
        {
            window.Add("// ...");
        }

        window.AddRange(lines.GetRange(first, last - first));
        if (last < lines.Count)
        {
            window.Add("// ...");
        }

        return window;
    }
}
