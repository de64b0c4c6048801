using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.Generators;

/// <summary>
/// Remembers what a semantic transform computed for a syntax node, for as long as nothing it can depend on changed.
/// </summary>
/// <remarks>
/// <para>An incremental generator's semantic transform runs again for every matching node of every file whenever the
/// compilation changes, because binding in one file may depend on another; for a program with hundreds of holes and
/// types that is a re-bind of much of the program on every keystroke. Binding a node depends on its own tree and on
/// what other files declare, not on their method bodies. So a result is kept against its node together with a
/// <see cref="DeclarationKey"/>: the text of every file outside bodies and initializers (doc comments included, since
/// sites show them), the references and the options. An edit inside a body makes new nodes for its own file only, so
/// only that file's nodes are computed again; an edit to a declaration recomputes everything.</para>
/// <para>Every cache is keyed weakly (by compilation, tree or node), so none keeps a compilation alive. A command-line
/// build starts from new trees, so it always computes every result.</para>
/// </remarks>
/// <typeparam name="T">What the transform produces.</typeparam>
internal sealed class SemanticMemo<T>
{
    // One table per tree rather than one entry per node: a node lives exactly as long as its tree, and adding to a
    // ConditionalWeakTable takes a process-wide lock and a GC handle, which for thousands of declarations computed on
    // all cores at once became a lock convoy.
    private readonly ConditionalWeakTable<SyntaxTree, TreeEntries> _trees = new();

    /// <summary>The result remembered for <paramref name="node"/> under <paramref name="key"/>, if any.</summary>
    public bool TryGet(SyntaxNode node, DeclarationKey key, out T value)
    {
        if (_trees.TryGetValue(node.SyntaxTree, out var entries))
        {
            lock (entries)
            {
                if (entries.TryGetValue(node, out var entry) && entry.Key.Equals(key))
                {
                    value = entry.Value;
                    return true;
                }
            }
        }

        value = default!;
        return false;
    }

    public void Set(SyntaxNode node, DeclarationKey key, T value)
    {
        var entries = _trees.GetValue(node.SyntaxTree, static _ => new TreeEntries());
        lock (entries)
        {
            entries[node] = new Entry(key, value);
        }
    }

    /// <summary>Runs <paramref name="transform"/> unless a result for the node is remembered under the compilation's current key.</summary>
    public T GetOrCompute(GeneratorSyntaxContext context, Func<GeneratorSyntaxContext, CancellationToken, T> transform, CancellationToken cancellationToken)
    {
        var key = CompilationFacts.For(context.SemanticModel.Compilation).Key(cancellationToken);
        if (TryGet(context.Node, key, out var value))
        {
            return value;
        }

        value = transform(context, cancellationToken);
        Set(context.Node, key, value);
        return value;
    }

    private sealed class TreeEntries : Dictionary<SyntaxNode, Entry>
    {
    }

    private readonly struct Entry
    {
        public Entry(DeclarationKey key, T value)
        {
            Key = key;
            Value = value;
        }

        public DeclarationKey Key { get; }

        public T Value { get; }
    }
}

/// <summary>Facts about one compilation that transforms share: its <see cref="DeclarationKey"/>, computed once.</summary>
internal sealed class CompilationFacts
{
    private static readonly ConditionalWeakTable<Compilation, CompilationFacts> s_compilations = new();
    private readonly Compilation _compilation;
    private DeclarationKey? _key;

    private CompilationFacts(Compilation compilation) => _compilation = compilation;

    public static CompilationFacts For(Compilation compilation) => s_compilations.GetValue(compilation, static c => new CompilationFacts(c));

    public DeclarationKey Key(CancellationToken cancellationToken)
    {
        lock (this)
        {
            if (_key is null)
            {
                ulong hash = Hashing.Seed;
                foreach (var tree in _compilation.SyntaxTrees)
                {
                    hash = Hashing.Mix(hash, Hashing.Of(tree.FilePath));
                    hash = Hashing.Mix(hash, TreeFacts.For(tree).DeclarationHash(cancellationToken));
                }

                _key = new DeclarationKey(hash, _compilation.References.ToImmutableArray(), _compilation.Options, _compilation.AssemblyName);
            }

            return _key;
        }
    }
}

/// <summary>Everything outside a node that binding it can depend on.</summary>
internal sealed class DeclarationKey
{
    private readonly ulong _declarations;
    private readonly ImmutableArray<MetadataReference> _references;
    private readonly CompilationOptions _options;
    private readonly string? _assemblyName;

    public DeclarationKey(ulong declarations, ImmutableArray<MetadataReference> references, CompilationOptions options, string? assemblyName)
    {
        _declarations = declarations;
        _references = references;
        _options = options;
        _assemblyName = assemblyName;
    }

    /// <summary>The hash of every file's declarations (see <see cref="TreeFacts.DeclarationHash"/>).</summary>
    public ulong Declarations => _declarations;

    public bool Equals(DeclarationKey other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (_declarations != other._declarations || _assemblyName != other._assemblyName || _references.Length != other._references.Length ||
            !_options.Equals(other._options))
        {
            return false;
        }

        for (var i = 0; i < _references.Length; i++)
        {
            if (!ReferenceEquals(_references[i], other._references[i]))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Facts about one syntax tree, computed once per tree.</summary>
internal sealed class TreeFacts
{
    private static readonly ConditionalWeakTable<SyntaxTree, TreeFacts> s_trees = new();
    private readonly SyntaxTree _tree;
    private bool? _mentionsHoles;
    private ulong? _declarationHash;

    private TreeFacts(SyntaxTree tree) => _tree = tree;

    public static TreeFacts For(SyntaxTree tree) => s_trees.GetValue(tree, static t => new TreeFacts(t));

    /// <summary>Whether the tree's text contains <c>agent</c> or <c>ExecuteAsync</c> at all (a superset of the trees with hole calls).</summary>
    public bool MentionsHoles(CancellationToken cancellationToken)
    {
        lock (this)
        {
            if (_mentionsHoles is null)
            {
                // A text search is far cheaper than a token walk; an identifier spelled with unicode escapes is missed.
                string text = _tree.GetText(cancellationToken).ToString();
                _mentionsHoles = text.IndexOf(KnownNames.AgentMethod, StringComparison.Ordinal) >= 0
                    || text.IndexOf(KnownNames.ExecuteMethod, StringComparison.Ordinal) >= 0;
            }

            return _mentionsHoles.Value;
        }
    }

    /// <summary>A hash of what other files can bind against: the tokens outside bodies and initializers, and doc comments.</summary>
    public ulong DeclarationHash(CancellationToken cancellationToken)
    {
        lock (this)
        {
            if (_declarationHash is null)
            {
                ulong hash = Hashing.Seed;
                foreach (var token in _tree.GetRoot(cancellationToken).DescendantTokens(static node => !IsBody(node)))
                {
                    hash = Hashing.Mix(hash, (ulong)token.RawKind);
                    hash = Hashing.Mix(hash, Hashing.Of(token.ValueText));
                    if (token.HasLeadingTrivia)
                    {
                        foreach (var trivia in token.LeadingTrivia)
                        {
                            if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
                            {
                                hash = Hashing.Mix(hash, Hashing.Of(trivia.ToFullString()));
                            }
                        }
                    }
                }

                hash = Hashing.Mix(hash, Hashing.Of(string.Join(",", _tree.Options.PreprocessorSymbolNames)));
                _declarationHash = hash;
            }

            return _declarationHash.Value;
        }
    }

    private static bool IsBody(SyntaxNode node) => node switch
    {
        BlockSyntax { Parent: BaseMethodDeclarationSyntax or AccessorDeclarationSyntax } => true,
        ArrowExpressionClauseSyntax => true,
        GlobalStatementSyntax => true,
        EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax } => true,
        EqualsValueClauseSyntax { Parent.Parent.Parent: FieldDeclarationSyntax field } => !field.Modifiers.Any(SyntaxKind.ConstKeyword),
        _ => false,
    };
}

/// <summary>64-bit FNV-1a, enough to tell declaration texts apart.</summary>
internal static class Hashing
{
    public const ulong Seed = 14695981039346656037UL;

    public static ulong Of(string text)
    {
        ulong hash = Seed;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    public static ulong Mix(ulong hash, ulong value) => ((hash ^ value) * 1099511628211UL) + 0x9E3779B97F4A7C15UL;
}
