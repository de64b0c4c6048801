using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Holes.Rules;

/// <summary>
/// What the effect analysis of one compilation shares between declarations: the capability rules and the effect
/// tables of the libraries it references. Create one per compilation; it holds symbols of that compilation.
/// </summary>
internal sealed class EffectContext
{
    public const string AnalyzedAttribute = "Holes.Runtime.HoleEffectsAnalyzedAttribute";
    public const string EffectAttribute = "Holes.Runtime.HoleEffectAttribute";
    public const string EffectFreeAttribute = "Holes.Runtime.HoleEffectFreeAttribute";

    private readonly ConcurrentDictionary<IAssemblySymbol, LibraryEffects> _libraries = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ITypeSymbol, bool> _capabilities = new(SymbolEqualityComparer.Default);

    public EffectContext(Compilation compilation)
    {
        Compilation = compilation;

        // The default policy, but a rules instance of this compilation's own: the rules cache verdicts per type symbol,
        // and a shared instance would keep every compilation's source symbols alive in a long-lived compiler host.
        Rules = CapabilityRules.For(new RulePolicy());
    }

    public Compilation Compilation { get; }

    /// <summary>The capability rules with the default policy: a framework API they deny is an effect.</summary>
    public CapabilityRules Rules { get; }

    /// <summary><see cref="CapabilityFacts.IsCapability"/>, remembered per type definition (the same few types recur in every body).</summary>
    public bool IsCapability(ITypeSymbol? type) => type switch
    {
        null => false,
        INamedTypeSymbol named => _capabilities.GetOrAdd(named.OriginalDefinition, static t => CapabilityFacts.IsCapability(t)),
        _ => CapabilityFacts.IsCapability(type),
    };

    /// <summary>Whether <paramref name="symbol"/> is declared in the compilation being analysed.</summary>
    public bool IsSource(ISymbol symbol) => SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, Compilation.Assembly);

    /// <summary>
    /// The effect table a referenced library carries (a program or library built with the Holes generator), or
    /// <see langword="null"/> when it has none and its members are judged by the fallback rules.
    /// </summary>
    public LibraryEffects? Library(IAssemblySymbol assembly)
    {
        var table = _libraries.GetOrAdd(assembly, Read);
        return table.IsAnalyzed ? table : null;
    }

    private static LibraryEffects Read(IAssemblySymbol assembly)
    {
        var analyzed = false;
        var effects = new Dictionary<string, string>(StringComparer.Ordinal);
        var free = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in assembly.GetAttributes())
        {
            var name = attribute.AttributeClass;
            if (CapabilityFacts.IsMetadataName(name, AnalyzedAttribute))
            {
                analyzed = true;
            }
            else if (CapabilityFacts.IsMetadataName(name, EffectAttribute) && attribute.ConstructorArguments.Length == 2 &&
                     attribute.ConstructorArguments[0].Value is string id && attribute.ConstructorArguments[1].Value is string path)
            {
                effects[id] = path;
            }
            else if (CapabilityFacts.IsMetadataName(name, EffectFreeAttribute) && attribute.ConstructorArguments.Length == 1 &&
                     attribute.ConstructorArguments[0].Value is string freeId)
            {
                free.Add(freeId);
            }
        }

        return new LibraryEffects(analyzed, effects, free);
    }
}

/// <summary>A referenced assembly's effect table, read from its <c>HoleEffect</c> and <c>HoleEffectFree</c> attributes.</summary>
internal sealed class LibraryEffects
{
    public LibraryEffects(bool isAnalyzed, IReadOnlyDictionary<string, string> effects, ISet<string> effectFree)
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
    public ISet<string> EffectFree { get; }
}
