using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Holes.Analyzers;
using Holes.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.CodeFixes;

/// <summary>
/// Fixes HOLE017 (the task names a local or parameter the hole is not handed) by appending that variable to the
/// call's values: <c>agent&lt;int&gt;("sum xs", ys)</c> becomes <c>agent&lt;int&gt;("sum xs", ys, xs)</c>. Fix all
/// appends every missing name of a call at once, in the order the task mentions them.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HandInVariableCodeFix))]
[Shared]
public sealed class HandInVariableCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = HoleDiagnosticIds.TaskNamesUnhandedVariable + ".HandIn";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(HoleDiagnosticIds.TaskNamesUnhandedVariable);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics) => await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(Descriptors.NameProperty, out string? name) && name is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Hand '{name}' to the hole",
                        cancellationToken => FixAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // One call may have several names to append; each is appended once, in the order of the task's words.
        var additions = new Dictionary<InvocationExpressionSyntax, List<string>>();
        foreach (Diagnostic diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (!diagnostic.Properties.TryGetValue(Descriptors.NameProperty, out string? name) || name is null
                || Call(root, diagnostic) is not { } call)
            {
                continue;
            }

            if (!additions.TryGetValue(call, out List<string>? names))
            {
                additions.Add(call, names = new List<string>());
            }

            if (!names.Contains(name) && !HandsIn(call, name))
            {
                names.Add(name);
            }
        }

        if (additions.Count == 0)
        {
            return document;
        }

        SyntaxNode fixedRoot = root.ReplaceNodes(additions.Keys, (original, rewritten) => Append(rewritten, additions[original]));
        return document.WithSyntaxRoot(fixedRoot);
    }

    /// <summary>The hole call whose task argument holds the diagnostic.</summary>
    private static InvocationExpressionSyntax? Call(SyntaxNode root, Diagnostic diagnostic)
    {
        SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        foreach (InvocationExpressionSyntax invocation in node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>())
        {
            if (invocation.ArgumentList.Arguments.Count > 0
                && invocation.ArgumentList.Arguments[0].Span.Contains(diagnostic.Location.SourceSpan))
            {
                return invocation;
            }
        }

        return null;
    }

    private static bool HandsIn(InvocationExpressionSyntax call, string name)
        => call.ArgumentList.Arguments.Skip(1).Any(a => a.Expression is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == name);

    private static InvocationExpressionSyntax Append(InvocationExpressionSyntax call, List<string> names)
    {
        SeparatedSyntaxList<ArgumentSyntax> arguments = call.ArgumentList.Arguments;
        if (names.Count == 0 || arguments.Count == 0)
        {
            return call;
        }

        // What trailed the last argument (a line break before ')', a comment) now trails the appended ones.
        ArgumentSyntax last = arguments[arguments.Count - 1];
        SyntaxTriviaList trailing = last.GetTrailingTrivia();
        var nodes = new List<SyntaxNodeOrToken>(arguments.GetWithSeparators());
        nodes[nodes.Count - 1] = last.WithoutTrailingTrivia();
        for (int i = 0; i < names.Count; i++)
        {
            ExpressionSyntax value = SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(
                SyntaxFacts.GetKeywordKind(names[i]) != SyntaxKind.None ? "@" + names[i] : names[i]));
            ArgumentSyntax argument = SyntaxFactory.Argument(value);
            nodes.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
            nodes.Add(i == names.Count - 1 ? argument.WithTrailingTrivia(trailing) : argument);
        }

        return call.WithArgumentList(call.ArgumentList.WithArguments(SyntaxFactory.SeparatedList<ArgumentSyntax>(nodes)));
    }
}
