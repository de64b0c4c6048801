using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Holes.Rules;
using Microsoft.CodeAnalysis;

namespace Holes.Generators;

/// <summary>
/// Precomputes a site descriptor for every <c>agent&lt;T&gt;(...)</c> call and intercepts the call to pass it,
/// so at run time the engine knows the names and static types of the values, the types to declare to the model
/// and the surrounding source without reflection or source files.
/// </summary>
/// <remarks>
/// The generator describes hole sites only. The program's effect table (which host types are authority, which static
/// members are effect-free) is computed after the compile, from the assembly's IL, by the Holes.Effects build step:
/// computing it here would bind every method body of the program a second time (see docs/architecture.md).
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class HoleSiteGenerator : IIncrementalGenerator
{
    // Sites are bound once per node and remembered until a declaration changes (see SemanticMemo).
    private static readonly SemanticMemo<HoleSiteSpec?> s_sites = new();

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

        context.RegisterSourceOutput(
            sites.Collect().Combine(globalUsings),
            static (output, input) => EmitInterceptors(output, input.Left, input.Right));

        IncrementalValueProvider<ImmutableArray<EquatableArray<string>>> declaredPure = context.SyntaxProvider
            .ForAttributeWithMetadataName(CapabilityFacts.PureAttribute, DeclaredPure.IsCandidate, DeclaredPure.Ids)
            .Collect()
            .WithTrackingName(TrackingNames.DeclaredPure);

        context.RegisterSourceOutput(declaredPure.Combine(compilation), static (output, input) =>
        {
            if (input.Right.ReferencesHoles && input.Left.Any(ids => ids.Count > 0))
            {
                output.AddSource(KnownNames.DeclaredPureHintName, DeclaredPure.Emit(input.Left));
            }
        });

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
