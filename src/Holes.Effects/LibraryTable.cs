using Holes.Rules;
using Microsoft.CodeAnalysis;

namespace Holes.Effects;

/// <summary>A referenced assembly's effect table, read from its <c>HoleEffect</c> and <c>HoleEffectFree</c> attributes.</summary>
internal sealed class LibraryTable
{
    private LibraryTable(bool isAnalyzed, IReadOnlyDictionary<string, string> effects, IReadOnlySet<string> effectFree)
    {
        IsAnalyzed = isAnalyzed;
        Effects = effects;
        EffectFree = effectFree;
    }

    /// <summary>The assembly carries <c>[assembly: HoleEffectsAnalyzed]</c>: its table is complete.</summary>
    public bool IsAnalyzed { get; }

    /// <summary>Documentation comment id → effect path, for authority types and members that reach an effect.</summary>
    public IReadOnlyDictionary<string, string> Effects { get; }

    /// <summary>Documentation comment ids of static members proven effect-free.</summary>
    public IReadOnlySet<string> EffectFree { get; }

    public static LibraryTable Read(IAssemblySymbol assembly)
    {
        var analyzed = false;
        var effects = new Dictionary<string, string>(StringComparer.Ordinal);
        var free = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in assembly.GetAttributes())
        {
            var name = attribute.AttributeClass;
            if (CapabilityFacts.IsMetadataName(name, EffectAttributes.AnalyzedAttribute))
            {
                analyzed = true;
            }
            else if (CapabilityFacts.IsMetadataName(name, EffectAttributes.EffectAttribute) && attribute.ConstructorArguments.Length == 2 &&
                     attribute.ConstructorArguments[0].Value is string id && attribute.ConstructorArguments[1].Value is string path)
            {
                effects[id] = path;
            }
            else if (CapabilityFacts.IsMetadataName(name, EffectAttributes.EffectFreeAttribute) && attribute.ConstructorArguments.Length == 1 &&
                     attribute.ConstructorArguments[0].Value is string freeId)
            {
                free.Add(freeId);
            }
        }

        return new LibraryTable(analyzed, effects, free);
    }
}
