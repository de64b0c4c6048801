using System.Collections.Generic;
using System.Collections.Immutable;
using Holes.Rules;
using Microsoft.CodeAnalysis;

namespace Holes.Generators;

/// <summary>
/// Precomputes a site descriptor for every <c>agent&lt;T&gt;(...)</c> call and intercepts the call to pass it,
/// so at run time the engine knows the names and static types of the values, the types to declare to the model
/// and the surrounding source without reflection or source files.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class HoleSiteGenerator : IIncrementalGenerator
{
    // Sites and hole uses are bound once per node and remembered until a declaration changes (see SemanticMemo).
    private static readonly SemanticMemo<HoleSiteSpec?> s_sites = new();
    private static readonly SemanticMemo<bool> s_holeUses = new();

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<HoleSiteSpec> sites = context.SyntaxProvider
            .CreateSyntaxProvider(Parser.IsCandidate, static (node, ct) => s_sites.GetOrCompute(node, Parser.ParseSite, ct))
            .Where(static site => site is not null)
            .Select(static (site, _) => site!)
            .WithTrackingName(TrackingNames.Sites);

        IncrementalValueProvider<EquatableArray<string>> globalUsings = context.SyntaxProvider
            .CreateSyntaxProvider(Parser.IsGlobalUsing, Parser.ParseGlobalUsing)
            .Where(static text => text is not null)
            .Select(static (text, _) => text!)
            .Collect()
            .Select(static (texts, _) => new EquatableArray<string>(texts))
            .WithTrackingName(TrackingNames.GlobalUsings);

        IncrementalValueProvider<CompilationSpec> compilation = context.CompilationProvider
            .Select(Parser.ParseCompilation)
            .WithTrackingName(TrackingNames.Compilation);

        // The effect table: a summary per type declaration, joined and closed once the program is known to use holes.
        IncrementalValuesProvider<TypeEffects> effectSummaries = context.SyntaxProvider
            .CreateSyntaxProvider(EffectPipeline.IsSummaryNode, EffectPipeline.Summarize)
            .Where(static summary => summary is not null)
            .Select(static (summary, _) => summary!)
            .WithTrackingName(TrackingNames.EffectSummaries);

        IncrementalValueProvider<bool> usesHoles = context.SyntaxProvider
            .CreateSyntaxProvider(Parser.IsHoleUseCandidate, static (node, ct) => s_holeUses.GetOrCompute(node, Parser.IsHoleUse, ct))
            .Where(static isUse => isUse)
            .Collect()
            .Select(static (uses, _) => uses.Length > 0)
            .WithTrackingName(TrackingNames.HoleUses);

        IncrementalValueProvider<EffectTableSpec?> effectTable = effectSummaries.Collect()
            .Combine(usesHoles.Combine(compilation))
            .Select(static (input, _) => input.Right.Left && input.Right.Right is { ReferencesHoles: true, HasEffectTable: true }
                ? EffectGraph.Compute(input.Left)
                : null)
            .WithTrackingName(TrackingNames.EffectTable);

        context.RegisterSourceOutput(effectTable, static (output, table) =>
        {
            if (table is not null)
            {
                output.AddSource(KnownNames.EffectsHintName, Emitter.EmitEffects(table));
            }
        });

        context.RegisterSourceOutput(
            sites.Collect().Combine(globalUsings),
            static (output, input) => EmitInterceptors(output, input.Left, input.Right));

        context.RegisterSourceOutput(compilation, static (output, spec) =>
        {
            if (spec.ReferencesHoles && spec.NeedsFillAccess)
            {
                output.AddSource(KnownNames.InternalsVisibleToHintName, Emitter.EmitInternalsVisibleTo());
            }
        });
    }

    private static void EmitInterceptors(SourceProductionContext output, ImmutableArray<HoleSiteSpec> sites, EquatableArray<string> globalUsings)
    {
        if (sites.IsDefaultOrEmpty)
        {
            return;
        }

        output.AddSource(KnownNames.InterceptorsHintName, Emitter.EmitInterceptors(sites, (IReadOnlyList<string>)globalUsings));
    }
}
