using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.Scope;

/// <summary>
/// What a fill may write unqualified: it is compiled in the hole's context, so it gets the imports the hole
/// had. Each entry is the text between <c>using</c> and <c>;</c> (<c>System.Linq</c>, <c>static System.Math</c>,
/// <c>Json = System.Text.Json.JsonSerializer</c>), with names resolved, not copied from source.
/// </summary>
internal static class Usings
{
    /// <summary>
    /// The non-global using directives of the file and of every namespace declaration around
    /// <paramref name="node"/>, outermost first, followed by the namespaces that contain it (members of an
    /// enclosing namespace are in scope without an import).
    /// </summary>
    public static IReadOnlyList<string> InScope(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken = default)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);

        var containers = new List<SyntaxNode>();
        for (SyntaxNode? current = node.Parent; current is not null; current = current.Parent)
        {
            if (current is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            {
                containers.Add(current);
            }
        }

        containers.Reverse();
        foreach (SyntaxNode container in containers)
        {
            SyntaxList<UsingDirectiveSyntax> directives = container is CompilationUnitSyntax unit
                ? unit.Usings
                : ((BaseNamespaceDeclarationSyntax)container).Usings;
            foreach (UsingDirectiveSyntax directive in directives)
            {
                if (directive.GlobalKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.None)
                    && Describe(directive, model, cancellationToken) is { } text
                    && seen.Add(text))
                {
                    result.Add(text);
                }
            }
        }

        foreach (string name in NamespaceChain(model.GetEnclosingSymbol(node.SpanStart, cancellationToken)))
        {
            if (seen.Add(name))
            {
                result.Add(name);
            }
        }

        return result;
    }

    /// <summary>The <c>global using</c> directives of every file in the compilation, in file order.</summary>
    public static IReadOnlyList<string> Global(Compilation compilation, CancellationToken cancellationToken = default)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            if (tree.GetRoot(cancellationToken) is not CompilationUnitSyntax unit)
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (UsingDirectiveSyntax directive in unit.Usings)
            {
                if (directive.GlobalKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.None))
                {
                    continue;
                }

                model ??= compilation.GetSemanticModel(tree);
                if (Describe(directive, model, cancellationToken) is { } text && seen.Add(text))
                {
                    result.Add(text);
                }
            }
        }

        return result;
    }

    /// <summary>One directive as recorded in a site's usings; the source text when the name does not bind.</summary>
    public static string? Describe(UsingDirectiveSyntax directive, SemanticModel model, CancellationToken cancellationToken = default)
    {
        if (directive.NamespaceOrType is not { } name)
        {
            return null;
        }

        if (directive.Alias is not null)
        {
            string target = model.GetDeclaredSymbol(directive, cancellationToken) is IAliasSymbol alias
                && alias.Target is not IErrorTypeSymbol
                ? TypeNames.Qualified(alias.Target)
                : name.ToString();
            return directive.Alias.Name.Identifier.ValueText + " = " + target;
        }

        ISymbol? symbol = model.GetSymbolInfo(name, cancellationToken).Symbol;
        string text = symbol is INamespaceOrTypeSymbol and not IErrorTypeSymbol ? TypeNames.Qualified(symbol) : name.ToString();
        return directive.StaticKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.None) ? text : "static " + text;
    }

    /// <summary>The namespaces containing <paramref name="symbol"/>, outermost first (<c>A</c>, <c>A.B</c>).</summary>
    public static IReadOnlyList<string> NamespaceChain(ISymbol? symbol)
    {
        var chain = new List<string>();
        for (INamespaceSymbol? current = symbol as INamespaceSymbol ?? symbol?.ContainingNamespace;
             current is not null && !current.IsGlobalNamespace;
             current = current.ContainingNamespace)
        {
            chain.Add(TypeNames.Qualified(current));
        }

        chain.Reverse();
        return chain;
    }
}
