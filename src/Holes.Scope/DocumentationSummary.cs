using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.Scope;

/// <summary>
/// The one-line <c>&lt;summary&gt;</c> of a symbol, which is what tells a model what a member is for, and its
/// <c>&lt;param&gt;</c> lines, which say what a record's positional properties mean.
/// </summary>
internal static class DocumentationSummary
{
    /// <summary>
    /// The summary as plain text on one line, or an empty string. Reads the compiler's documentation XML first;
    /// projects built without <c>GenerateDocumentationFile</c> parse no doc comments, so it falls back to the
    /// <c>///</c> trivia of the declaration.
    /// </summary>
    public static string Of(ISymbol symbol, CancellationToken cancellationToken = default) => Read(symbol, cancellationToken).Summary;

    /// <summary>The symbol's documentation, read once, for callers that want more than its summary.</summary>
    public static SymbolDocumentation Read(ISymbol symbol, CancellationToken cancellationToken = default) =>
        new(Documentation(symbol, cancellationToken));

    /// <summary>A symbol's parsed documentation (empty when it has none).</summary>
    internal readonly struct SymbolDocumentation
    {
        private readonly XElement? _xml;

        public SymbolDocumentation(XElement? xml) => _xml = xml;

        /// <summary>The summary as plain text on one line, or an empty string.</summary>
        public string Summary => _xml?.Descendants("summary").FirstOrDefault() is { } summary ? PlainText(summary) : "";

        /// <summary>The documented parameters, in the order they are documented, each as plain text on one line.</summary>
        public IReadOnlyList<(string Name, string Text)> Parameters
        {
            get
            {
                var parameters = new List<(string Name, string Text)>();
                foreach (XElement param in _xml?.Descendants("param") ?? [])
                {
                    string? name = (string?)param.Attribute("name");
                    string text = PlainText(param);
                    if (!string.IsNullOrEmpty(name) && text.Length != 0)
                    {
                        parameters.Add((name!, text));
                    }
                }

                return parameters;
            }
        }
    }

    /// <summary>The symbol's documentation as XML: the compiler's when it has any, otherwise parsed from the declaration's comments.</summary>
    private static XElement? Documentation(ISymbol symbol, CancellationToken cancellationToken)
    {
        XElement? fromCompiler = Parse(symbol.GetDocumentationCommentXml(cancellationToken: cancellationToken));
        return HasContent(fromCompiler) ? fromCompiler : FromTrivia(symbol, cancellationToken);
    }

    private static bool HasContent(XElement? documentation) =>
        documentation is not null && documentation.Descendants().Any(e => e.Name.LocalName is "summary" or "param" && PlainText(e).Length != 0);

    private static XElement? FromTrivia(ISymbol symbol, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in symbol.DeclaringSyntaxReferences)
        {
            SyntaxNode? node = reference.GetSyntax(cancellationToken);

            // Fields and events hang their comments on the declaration that holds the declarator.
            while (node is not null && node is not MemberDeclarationSyntax)
            {
                if (node is ParameterSyntax or CompilationUnitSyntax)
                {
                    node = null;
                    break;
                }

                node = node.Parent;
            }

            if (node is null)
            {
                continue;
            }

            // Without DocumentationMode.Parse (a project without GenerateDocumentationFile), "///" lines are
            // ordinary comments; gather the run of them right above the declaration.
            var plain = new StringBuilder();
            foreach (SyntaxTrivia trivia in node.GetLeadingTrivia())
            {
                if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) && trivia.ToString().StartsWith("///", StringComparison.Ordinal))
                {
                    plain.Append(trivia.ToString()).Append('\n');
                }
                else if (!trivia.IsKind(SyntaxKind.WhitespaceTrivia) && !trivia.IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    plain.Clear();
                }
            }

            if (plain.Length > 0)
            {
                XElement? parsed = Parse("<doc>" + StripCommentMarkers(plain.ToString()) + "</doc>");
                if (HasContent(parsed))
                {
                    return parsed;
                }
            }

            foreach (SyntaxTrivia trivia in node.GetLeadingTrivia())
            {
                if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia)
                    || trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
                {
                    XElement? parsed = Parse("<doc>" + StripCommentMarkers(trivia.ToFullString()) + "</doc>");
                    if (HasContent(parsed))
                    {
                        return parsed;
                    }
                }
            }
        }

        return null;
    }

    private static string StripCommentMarkers(string comment)
    {
        var builder = new StringBuilder();
        foreach (string rawLine in comment.Replace("\r\n", "\n").Split('\n'))
        {
            string line = rawLine.TrimStart();
            if (line.StartsWith("///", StringComparison.Ordinal))
            {
                line = line.Substring(3);
            }
            else if (line.StartsWith("/**", StringComparison.Ordinal))
            {
                line = line.Substring(3);
            }
            else if (line.StartsWith("*", StringComparison.Ordinal))
            {
                line = line.Substring(1);
            }

            if (line.EndsWith("*/", StringComparison.Ordinal))
            {
                line = line.Substring(0, line.Length - 2);
            }

            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }

    private static XElement? Parse(string? xml)
    {
        if (xml is null || xml.Length == 0)
        {
            return null;
        }

        try
        {
            return XElement.Parse(xml, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            // Malformed comments are the author's business; a missing summary is better than a broken prompt.
            return null;
        }
    }

    private static string PlainText(XElement element)
    {
        var builder = new StringBuilder();
        AppendText(element, builder);
        return CollapseWhitespace(builder.ToString());
    }

    private static void AppendText(XElement element, StringBuilder builder)
    {
        foreach (XNode node in element.Nodes())
        {
            switch (node)
            {
                case XText text:
                    builder.Append(text.Value);
                    break;
                case XElement child when child.Name.LocalName is "see" or "seealso":
                    builder.Append(ReferenceText(child));
                    break;
                case XElement child when child.Name.LocalName is "paramref" or "typeparamref":
                    builder.Append((string?)child.Attribute("name") ?? "");
                    break;
                case XElement child when child.Name.LocalName is "para" or "br":
                    builder.Append(' ');
                    AppendText(child, builder);
                    builder.Append(' ');
                    break;
                case XElement child:
                    AppendText(child, builder);
                    break;
            }
        }
    }

    private static string ReferenceText(XElement see)
    {
        if (!see.IsEmpty && see.Value.Length != 0)
        {
            return see.Value;
        }

        string? target = (string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? (string?)see.Attribute("href");
        if (target is null)
        {
            return "";
        }

        // Compiler-resolved crefs look like "T:Ns.Type" or "M:Ns.Type.Method(System.Int32)": keep the last name.
        int colon = target.IndexOf(':');
        if (colon == 1)
        {
            target = target.Substring(2);
        }

        int parenthesis = target.IndexOf('(');
        if (parenthesis >= 0)
        {
            target = target.Substring(0, parenthesis);
        }

        int dot = target.LastIndexOf('.');
        return dot >= 0 && dot < target.Length - 1 ? target.Substring(dot + 1) : target;
    }

    private static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length != 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
