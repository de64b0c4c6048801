using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Holes.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.Generators;

/// <summary>
/// The generator's side of the effect analysis: one summary per type declaration (<see cref="EffectAnalysis"/>),
/// computed only for programs that use holes, remembered across edits (<see cref="SemanticMemo{T}"/>), and computed for
/// the whole compilation at once on all cores the first time one is asked for.
/// </summary>
/// <remarks>
/// Summarising binds every member body of the program, which is most of the analysis' cost. The transforms of an
/// incremental generator run one after another, so the first one asked in a compilation computes every summary the
/// memo lacks, one tree per core, and the rest find theirs in the memo. The pipeline downstream is unchanged: a value
/// per declaration, compared by value.
/// </remarks>
internal static class EffectPipeline
{
    private static readonly SemanticMemo<TypeEffects?> s_summaries = new();
    private static readonly ConditionalWeakTable<Compilation, State> s_states = new();
    private static readonly ConcurrentDictionary<(string Assembly, ulong Declarations), WeakReference<TextMemo>> s_latest = new();
    private static bool s_withoutNullableAnalysis = true;

    /// <summary>How many declarations this thread has summarised (not taken from the memo); for tests of the memo.</summary>
    [ThreadStatic]
    internal static int SummarisedOnThisThread;

    public static bool IsSummaryNode(SyntaxNode node, CancellationToken cancellationToken) => EffectAnalysis.IsSummaryNode(node);

    public static TypeEffects? Summarize(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var compilation = context.SemanticModel.Compilation;
        var state = s_states.GetValue(compilation, static c => new State(c));
        if (!state.IsNeeded(cancellationToken))
        {
            return null;
        }

        var key = CompilationFacts.For(compilation).Key(cancellationToken);
        state.SummarizeAll(key, cancellationToken);
        if (s_summaries.TryGet(context.Node, key, out var summary))
        {
            return summary;
        }

        summary = EffectAnalysis.Summarize(context.Node, context.SemanticModel, state.Context, cancellationToken);
        SummarisedOnThisThread++;
        s_summaries.Set(context.Node, key, summary);
        return summary;
    }

    /// <summary>
    /// A semantic model without nullable analysis, which the effect analysis does not need and which would otherwise
    /// be about a quarter of its cost. The option is marked experimental; should a later compiler drop it, the ordinary
    /// model is used instead of failing.
    /// </summary>
    private static SemanticModel Model(Compilation compilation, SyntaxTree tree)
    {
        if (s_withoutNullableAnalysis)
        {
            try
            {
                return WithoutNullableAnalysis(compilation, tree);
            }
            catch (Exception ex) when (ex is MissingMethodException or MissingFieldException or TypeLoadException)
            {
                s_withoutNullableAnalysis = false;
            }
        }

        return compilation.GetSemanticModel(tree);
    }

#pragma warning disable RSEXPERIMENTAL001 // Guarded by Model: a missing API falls back to the ordinary model.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SemanticModel WithoutNullableAnalysis(Compilation compilation, SyntaxTree tree) =>
        compilation.GetSemanticModel(tree, SemanticModelOptions.DisableNullableAnalysis);
#pragma warning restore RSEXPERIMENTAL001

    /// <summary>Whether a declaration can be the <see cref="EffectAnalysis"/> summary node, or contain one.</summary>
    private static bool MayContainSummaryNodes(SyntaxNode node) => node is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax;

    private sealed class State
    {
        private readonly Compilation _compilation;
        private readonly object _gate = new();
        private bool? _needed;
        private EffectContext? _context;
        private bool _summarized;

        // This compilation's summaries by text (see TextMemo), for the next compilation with the same declarations.
        private readonly TextMemo _texts;

        public State(Compilation compilation)
        {
            _compilation = compilation;
            _texts = new TextMemo();
        }

        public EffectContext Context
        {
            get
            {
                lock (_gate)
                {
                    return _context ??= new EffectContext(_compilation);
                }
            }
        }

        /// <summary>Only a program that references Holes and mentions a hole or <c>ExecuteAsync</c> is analysed.</summary>
        public bool IsNeeded(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (_needed is null)
                {
                    var mentions = false;
                    if (Parser.ReferencesHoles(_compilation))
                    {
                        foreach (var tree in _compilation.SyntaxTrees)
                        {
                            if (TreeFacts.For(tree).MentionsHoles(cancellationToken))
                            {
                                mentions = true;
                                break;
                            }
                        }
                    }

                    _needed = mentions;
                }

                return _needed.Value;
            }
        }

        /// <summary>Summarises, one tree per core, every declaration the memo has no current summary for.</summary>
        public void SummarizeAll(DeclarationKey key, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (_summarized)
                {
                    return;
                }

                _summarized = true;
            }

            var context = Context;
            var slot = (_compilation.AssemblyName ?? "", key.Declarations);
            var previous = s_latest.TryGetValue(slot, out var latest) && latest.TryGetTarget(out var memo) ? memo : null;
            _texts.CarryForward(previous);
            var summarised = new StrongBox<int>();
            var options = new ParallelOptions { CancellationToken = cancellationToken };
            Parallel.ForEach(_compilation.SyntaxTrees, options, tree =>
            {
                List<SyntaxNode>? pending = null;
                foreach (var node in tree.GetRoot(cancellationToken).DescendantNodesAndSelf(MayContainSummaryNodes))
                {
                    if (EffectAnalysis.IsSummaryNode(node) && !s_summaries.TryGet(node, key, out _))
                    {
                        (pending ??= new List<SyntaxNode>()).Add(node);
                    }
                }

                if (pending is null)
                {
                    return;
                }

                var earlier = previous?.For(tree, key);
                var texts = new Dictionary<string, TypeEffects?>(StringComparer.Ordinal);
                SemanticModel? model = null;
                var failed = false;
                foreach (var node in pending)
                {
                    var text = DeclarationText(node, texts);
                    try
                    {
                        if (earlier is null || !earlier.TryGetValue(text, out var summary))
                        {
                            model ??= Model(_compilation, tree);
                            summary = EffectAnalysis.Summarize(node, model, context, cancellationToken);
                            Interlocked.Increment(ref summarised.Value);
                        }

                        s_summaries.Set(node, key, summary);
                        texts[text] = summary;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Left out of the memo: the transform for this node summarises it again on the driver's
                        // thread, where a failure is reported as the generator's own. The file is not remembered by
                        // text either (its identical declarations would be numbered differently next time).
                        failed = true;
                    }
                }

                if (tree.FilePath.Length > 0 && !failed)
                {
                    _texts.Files[tree.FilePath] = new FileSummaries(key, tree.Options, texts);
                }
                else
                {
                    _texts.Files.TryRemove(tree.FilePath, out _);
                }
            });

            SummarisedOnThisThread += summarised.Value;
            Remember(slot, _texts);
        }

        /// <summary>Keeps <paramref name="texts"/> for the next compilation with the same declarations; forgets tables no compilation holds any more.</summary>
        private static void Remember((string, ulong) slot, TextMemo texts)
        {
            s_latest[slot] = new WeakReference<TextMemo>(texts);
            if (s_latest.Count > 16)
            {
                foreach (var entry in s_latest)
                {
                    if (!entry.Value.TryGetTarget(out _))
                    {
                        s_latest.TryRemove(entry.Key, out _);
                    }
                }
            }
        }

        /// <summary>
        /// A declaration's text, told apart from an identical one earlier in the same file (two identical partial
        /// declarations do not summarise alike: only the first declares the implicit constructor).
        /// </summary>
        private static string DeclarationText(SyntaxNode node, Dictionary<string, TypeEffects?> earlierInFile)
        {
            var text = node.ToString();
            for (var n = 1; earlierInFile.ContainsKey(text); n++)
            {
                text = node.ToString() + "\0" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return text;
        }
    }

    /// <summary>
    /// The summaries of one compilation by file and declaration text, for the next compilation of the same program.
    /// </summary>
    /// <remarks>
    /// An edit inside one body gives the whole file new nodes, so the node-keyed memo knows none of its declarations
    /// any more and every type of the file would be summarised (bound) again. Summarising a declaration depends only
    /// on its own text, the file's parse options and what every file declares (the <see cref="DeclarationKey"/>): a
    /// declaration whose text is unchanged under the same key and options gets its earlier summary, so only the
    /// edited type is bound again. The table lives as long as a compilation that made it (each <see cref="State"/>
    /// holds its own; the next compilation with the same declarations finds it through a weak reference), so it keeps
    /// nothing alive by itself.
    /// </remarks>
    private sealed class TextMemo
    {
        public ConcurrentDictionary<string, FileSummaries> Files { get; } = new(StringComparer.Ordinal);

        /// <summary>Starts from <paramref name="previous"/>'s files: those whose nodes this compilation kept are not summarised, and so not recorded, again.</summary>
        public void CarryForward(TextMemo? previous)
        {
            if (previous is not null)
            {
                foreach (var file in previous.Files)
                {
                    Files.TryAdd(file.Key, file.Value);
                }
            }
        }

        /// <summary>The earlier summaries of <paramref name="tree"/>'s file, if they were made under the same key and parse options.</summary>
        /// <remarks>Trees without a path are never matched: two of them could not be told apart.</remarks>
        public Dictionary<string, TypeEffects?>? For(SyntaxTree tree, DeclarationKey key) =>
            tree.FilePath.Length > 0 && Files.TryGetValue(tree.FilePath, out var file) && file.Key.Equals(key) && file.Options.Equals(tree.Options)
                ? file.ByText
                : null;
    }

    private sealed class FileSummaries
    {
        public FileSummaries(DeclarationKey key, ParseOptions options, Dictionary<string, TypeEffects?> byText)
        {
            Key = key;
            Options = options;
            ByText = byText;
        }

        public DeclarationKey Key { get; }

        public ParseOptions Options { get; }

        public Dictionary<string, TypeEffects?> ByText { get; }
    }
}
