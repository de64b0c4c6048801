using System;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Holes.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.Generators;

/// <summary>
/// The generator's side of the effect analysis: per-declaration summaries (<see cref="EffectAnalysis"/>), computed only
/// for programs that use holes, and not recomputed for declarations whose meaning cannot have changed.
/// </summary>
/// <remarks>
/// <para>An incremental generator's semantic transform runs again for every matching node of every file whenever the
/// compilation changes, because binding in one file may depend on another. Summarising every type of a large program on
/// each keystroke would cost a full re-bind, so each summary is remembered against its syntax node together with a key of
/// everything outside that node that binding it can depend on: the declarations of all files (their text without method
/// bodies and initializers), the references and the options. An edit inside a body changes only its own file's nodes,
/// so only that file's declarations are summarised again; an edit to a signature re-summarises everything.</para>
/// <para>The caches are keyed weakly by compilation, tree and node, so they never keep a compilation alive. A
/// command-line build starts with new trees and so always computes every summary.</para>
/// </remarks>
internal static class EffectPipeline
{
    private static readonly ConditionalWeakTable<Compilation, CompilationState> s_compilations = new();
    private static readonly ConditionalWeakTable<SyntaxTree, TreeFacts> s_trees = new();
    private static readonly ConditionalWeakTable<SyntaxNode, Memo> s_summaries = new();

    /// <summary>How many declarations this thread has summarised (not taken from the memo); for tests of the memo.</summary>
    [ThreadStatic]
    internal static int SummarisedOnThisThread;

    public static bool IsSummaryNode(SyntaxNode node, CancellationToken cancellationToken) => EffectAnalysis.IsSummaryNode(node);

    public static TypeEffects? Summarize(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var state = s_compilations.GetValue(context.SemanticModel.Compilation, static c => new CompilationState(c));
        if (!state.IsNeeded(cancellationToken))
        {
            return null;
        }

        var key = state.Key(cancellationToken);
        var memo = s_summaries.GetValue(context.Node, static _ => new Memo());
        lock (memo)
        {
            if (memo.Key is not null && memo.Key.Equals(key))
            {
                return memo.Summary;
            }
        }

        var summary = EffectAnalysis.Summarize(context.Node, context.SemanticModel, state.Context, cancellationToken);
        SummarisedOnThisThread++;
        lock (memo)
        {
            memo.Key = key;
            memo.Summary = summary;
        }

        return summary;
    }

    /// <summary>
    /// A syntactic over-approximation of "this program uses holes": some file mentions <c>agent</c> or
    /// <c>ExecuteAsync</c>. Programs that do not are never summarised.
    /// </summary>
    internal static bool MentionsHoles(Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (Facts(tree).MentionsHoles(cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    private static TreeFacts Facts(SyntaxTree tree) => s_trees.GetValue(tree, static t => new TreeFacts(t));

    private sealed class Memo
    {
        public DeclarationKey? Key { get; set; }

        public TypeEffects? Summary { get; set; }
    }

    private sealed class CompilationState
    {
        private readonly Compilation _compilation;
        private bool? _needed;
        private DeclarationKey? _key;
        private EffectContext? _context;

        public CompilationState(Compilation compilation) => _compilation = compilation;

        public EffectContext Context
        {
            get
            {
                lock (this)
                {
                    return _context ??= new EffectContext(_compilation);
                }
            }
        }

        public bool IsNeeded(CancellationToken cancellationToken)
        {
            lock (this)
            {
                _needed ??= Parser.ReferencesHoles(_compilation) && MentionsHoles(_compilation, cancellationToken);
                return _needed.Value;
            }
        }

        public DeclarationKey Key(CancellationToken cancellationToken)
        {
            lock (this)
            {
                if (_key is null)
                {
                    ulong hash = 14695981039346656037UL;
                    foreach (var tree in _compilation.SyntaxTrees)
                    {
                        hash = Mix(hash, Fnv(tree.FilePath));
                        hash = Mix(hash, Facts(tree).DeclarationHash(cancellationToken));
                    }

                    _key = new DeclarationKey(hash, _compilation.References.ToImmutableArray(), _compilation.Options, _compilation.AssemblyName);
                }

                return _key;
            }
        }
    }

    /// <summary>Everything outside a declaration that its summary can depend on.</summary>
    private sealed class DeclarationKey
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
    private sealed class TreeFacts
    {
        private readonly SyntaxTree _tree;
        private bool? _mentionsHoles;
        private ulong? _declarationHash;

        public TreeFacts(SyntaxTree tree) => _tree = tree;

        public bool MentionsHoles(CancellationToken cancellationToken)
        {
            lock (this)
            {
                if (_mentionsHoles is null)
                {
                    var found = false;
                    foreach (var token in _tree.GetRoot(cancellationToken).DescendantTokens())
                    {
                        if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText is "agent" or "ExecuteAsync")
                        {
                            found = true;
                            break;
                        }
                    }

                    _mentionsHoles = found;
                }

                return _mentionsHoles.Value;
            }
        }

        /// <summary>A hash of the tree's tokens outside bodies and initializers: what other files can bind against.</summary>
        public ulong DeclarationHash(CancellationToken cancellationToken)
        {
            lock (this)
            {
                if (_declarationHash is null)
                {
                    ulong hash = 14695981039346656037UL;
                    foreach (var token in _tree.GetRoot(cancellationToken).DescendantTokens(static node => !IsBody(node)))
                    {
                        hash = Mix(hash, (ulong)token.RawKind);
                        hash = Mix(hash, Fnv(token.ValueText));
                    }

                    hash = Mix(hash, Fnv(string.Join(",", _tree.Options.PreprocessorSymbolNames)));
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

    private static ulong Fnv(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private static ulong Mix(ulong hash, ulong value) => (hash ^ value) * 1099511628211UL + 0x9E3779B97F4A7C15UL;
}
