using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Holes.Rules;

/// <summary>
/// Holes' effect analysis's verdicts for one assembly (written by the build step after the compile), read from its assembly attributes: which of its types are
/// authority (<c>[HoleEffect("T:...", path)]</c>), which members reach an effect and by what path, and which static
/// members are proven effect-free (<c>[HoleEffectFree]</c>). An assembly without <c>[HoleEffectsAnalyzed]</c> has no
/// table (a library built without the Holes build step); the rules then fall back to the policy.
/// </summary>
/// <remarks>
/// Read once per assembly symbol: fills are compiled against one template compilation, so the metadata assembly
/// symbols (and this table) are shared by every fill until a new reference is added.
/// </remarks>
internal sealed class EffectTable
{
    public const string AnalyzedAttribute = "Holes.Runtime.HoleEffectsAnalyzedAttribute";
    public const string EffectAttribute = "Holes.Runtime.HoleEffectAttribute";
    public const string EffectFreeAttribute = "Holes.Runtime.HoleEffectFreeAttribute";

    private static readonly ConditionalWeakTable<IAssemblySymbol, EffectTable> s_tables = new();

    private readonly Dictionary<string, string> _effects;
    private readonly HashSet<string> _effectFree;

    private EffectTable(bool isAnalyzed, Dictionary<string, string> effects, HashSet<string> effectFree)
    {
        IsAnalyzed = isAnalyzed;
        _effects = effects;
        _effectFree = effectFree;
    }

    /// <summary>A table for assemblies that have none.</summary>
    public static EffectTable None { get; } = new(false, new Dictionary<string, string>(), new HashSet<string>());

    /// <summary>Whether the build step analysed this assembly, so its entries are complete.</summary>
    public bool IsAnalyzed { get; }

    public static EffectTable Of(IAssemblySymbol? assembly) => assembly is null ? None : s_tables.GetValue(assembly, Read);

    /// <summary>The effect path recorded for a type or member (by its original definition), or null.</summary>
    public string? EffectOf(ISymbol symbol)
    {
        if (_effects.Count == 0)
        {
            return null;
        }

        var id = IdOf(symbol);
        return id is not null && _effects.TryGetValue(id, out var path) ? path : null;
    }

    /// <summary>Whether a static method or property is listed as proven effect-free (a property by itself or its getter).</summary>
    public bool IsEffectFree(ISymbol member)
    {
        if (_effectFree.Count == 0)
        {
            return false;
        }

        var id = IdOf(member);
        if (id is not null && _effectFree.Contains(id))
        {
            return true;
        }

        return member is IPropertySymbol { GetMethod: { } getter } && IdOf(getter) is { } getterId && _effectFree.Contains(getterId);
    }

    private static string? IdOf(ISymbol symbol)
    {
        if (symbol is IMethodSymbol { ReducedFrom: { } reduced })
        {
            symbol = reduced;
        }

        return symbol.OriginalDefinition.GetDocumentationCommentId();
    }

    private static EffectTable Read(IAssemblySymbol assembly)
    {
        var analyzed = false;
        Dictionary<string, string>? effects = null;
        HashSet<string>? effectFree = null;
        foreach (var attribute in assembly.GetAttributes())
        {
            var type = attribute.AttributeClass;
            if (type is null || type.Name.Length < "HoleEffect".Length || !type.Name.StartsWith("HoleEffect", System.StringComparison.Ordinal))
            {
                continue;
            }

            var arguments = attribute.ConstructorArguments;
            if (CapabilityFacts.IsMetadataName(type, AnalyzedAttribute))
            {
                analyzed = true;
            }
            else if (CapabilityFacts.IsMetadataName(type, EffectAttribute) && arguments.Length == 2 &&
                     arguments[0].Value is string symbol && arguments[1].Value is string path)
            {
                effects ??= new Dictionary<string, string>(System.StringComparer.Ordinal);
                effects[symbol] = path;
            }
            else if (CapabilityFacts.IsMetadataName(type, EffectFreeAttribute) && arguments.Length == 1 && arguments[0].Value is string free)
            {
                effectFree ??= new HashSet<string>(System.StringComparer.Ordinal);
                effectFree.Add(free);
            }
        }

        return !analyzed && effects is null && effectFree is null
            ? None
            : new EffectTable(analyzed, effects ?? new Dictionary<string, string>(), effectFree ?? new HashSet<string>());
    }
}
