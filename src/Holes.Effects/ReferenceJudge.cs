using System.Collections.Concurrent;
using Holes.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Holes.Effects;

/// <summary>How a member is reached by a node's code.</summary>
internal enum Access
{
    /// <summary>Read, written or called.</summary>
    Call,

    /// <summary>Constructed (<c>newobj</c>): reaching a constructor also hands out the type's authority.</summary>
    Construct,
}

/// <summary>
/// Decides what a use of a symbol by one node's code means: an edge to the program's own member (whether it leads to an
/// effect is decided for the whole program at once, by <see cref="EffectGraph"/>), or a verdict for anyone else's: the
/// shared <see cref="CapabilityRules"/> for the framework and Holes, a library's own effect table, or the fallback rules.
/// </summary>
internal sealed class ReferenceJudge
{
    // Framework methods that change the object they are called on. Called on an object reached through static state,
    // they write static state; called on one held by 'this', they change the instance.
    private static readonly HashSet<string> s_mutators = new(StringComparer.Ordinal)
    {
        "Add", "AddFirst", "AddLast", "AddAfter", "AddBefore", "AddRange", "AddOrUpdate", "GetOrAdd", "TryAdd", "TryUpdate",
        "Insert", "InsertRange", "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "RemoveWhere", "RemoveFirst", "RemoveLast",
        "TryRemove", "Clear", "Push", "PushRange", "Pop", "TryPop", "TryPopRange", "Enqueue", "EnqueueRange", "Dequeue",
        "TryDequeue", "TryTake", "Sort", "Reverse", "Set", "SetAll", "SetValue", "UnionWith", "IntersectWith", "ExceptWith",
        "SymmetricExceptWith", "TrimExcess", "EnsureCapacity", "Fill", "Shuffle", "Append", "AppendLine", "AppendFormat",
        "AppendJoin", "Replace", "Next", "NextBytes", "NextDouble", "NextInt64", "NextSingle", "GetItems", "Write",
        "WriteLine", "Flush", "Dispose", "Cancel", "CancelAfter", "Reset", "MoveNext", "Increment", "Decrement", "Exchange",
        "CompareExchange", "Start", "Stop", "Restart", "Release", "Update", "Put", "TrySetResult", "TrySetException",
        "TrySetCanceled", "SetResult", "SetException", "SetCanceled",
    };

    // Static methods of System.Array that change an array passed to them.
    private static readonly HashSet<string> s_arrayMutators = new(StringComparer.Ordinal)
    {
        "Sort", "Reverse", "Clear", "Fill", "Copy", "ConstrainedCopy", "Resize", "SetValue",
    };

    private readonly ConcurrentDictionary<ITypeSymbol, bool> _capabilities = new(SymbolEqualityComparer.Default);

    // Verdicts on other assemblies' members, remembered: the same framework members recur in every body, and the rules
    // format a display string for each member they check.
    private readonly Dictionary<ISymbol, Verdict> _calls = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, Verdict> _constructions = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<INamedTypeSymbol, string> _cctorIds = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ITypeSymbol, string?> _arguments = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<INamedTypeSymbol, string> _typeNames = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ITypeSymbol, List<(string? Edge, string? Effect)>> _held = new(SymbolEqualityComparer.Default);

    public ReferenceJudge(ProgramSymbols symbols)
    {
        Symbols = symbols;

        // The default policy, as the generator judged with: a framework API these rules deny is an effect.
        Rules = CapabilityRules.For(new RulePolicy());
    }

    public ProgramSymbols Symbols { get; }

    public CapabilityRules Rules { get; }

    /// <summary><see cref="CapabilityFacts.IsCapability"/>, remembered per type definition.</summary>
    public bool IsCapability(ITypeSymbol? type) => type switch
    {
        null => false,
        INamedTypeSymbol named => _capabilities.GetOrAdd(named.OriginalDefinition, static t => CapabilityFacts.IsCapability(t)),
        _ => CapabilityFacts.IsCapability(type),
    };

    /// <summary>How a static location reads in an effect: local name for the program's own, qualified for others.</summary>
    public string Describe(ISymbol symbol) => Symbols.IsProgram(symbol) ? Local(symbol.OriginalDefinition) : EffectNames.Qualified(symbol.OriginalDefinition);

    /// <summary>
    /// <see cref="EffectNames.Local"/>, with the type's part formatted once per type: a path names tens of thousands of
    /// members, and most are an ordinary name after their type's (<c>OrderService0.Summary</c>).
    /// </summary>
    public string Local(ISymbol symbol)
    {
        var plain = symbol switch
        {
            IMethodSymbol method => method is { MethodKind: MethodKind.Ordinary, IsGenericMethod: false, ExplicitInterfaceImplementations.IsEmpty: true },
            IPropertySymbol property => property is { IsIndexer: false, ExplicitInterfaceImplementations.IsEmpty: true },
            IEventSymbol @event => @event.ExplicitInterfaceImplementations.IsEmpty,
            IFieldSymbol => true,
            _ => false,
        };
        if (symbol is INamedTypeSymbol type)
        {
            return TypeName(type);
        }

        if (symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } ctor)
        {
            return "new " + TypeName(ctor.ContainingType);
        }

        return plain && symbol.ContainingType is { } containing && SyntaxFacts.IsValidIdentifier(symbol.Name) && SyntaxFacts.GetKeywordKind(symbol.Name) == SyntaxKind.None
            ? TypeName(containing) + "." + symbol.Name
            : EffectNames.Local(symbol);
    }

    private string TypeName(INamedTypeSymbol type)
    {
        if (!_typeNames.TryGetValue(type, out var name))
        {
            name = EffectNames.Local(type);
            _typeNames.Add(type, name);
        }

        return name;
    }

    /// <summary>The node that stands for a member in the graph: accessors stand for their property or event.</summary>
    public static ISymbol Definition(ISymbol symbol)
    {
        if (symbol is IMethodSymbol method)
        {
            method = method.ReducedFrom ?? method;
            var definition = method.OriginalDefinition;
            return definition.AssociatedSymbol is IPropertySymbol or IEventSymbol ? definition.AssociatedSymbol : definition;
        }

        return symbol.OriginalDefinition;
    }

    public string CctorId(INamedTypeSymbol type)
    {
        type = type.OriginalDefinition;
        if (!_cctorIds.TryGetValue(type, out var id))
        {
            id = "M:" + (Symbols.Id(type) ?? "T:" + type.MetadataName).Substring(2) + ".#cctor";
            _cctorIds.Add(type, id);
        }

        return id;
    }

    public static bool IsArrayMutator(IMethodSymbol method) =>
        method.IsStatic && method.ContainingType?.SpecialType == SpecialType.System_Array && s_arrayMutators.Contains(method.Name);

    public static bool IsMutator(IMethodSymbol method, ITypeSymbol? receiver) =>
        s_mutators.Contains(method.Name) && receiver is not null && !IsImmutable(receiver);

    public static bool IsImmutable(ITypeSymbol type)
    {
        if (type.SpecialType != SpecialType.None || type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        var ns = type.ContainingNamespace?.ToDisplayString() ?? "";
        return ns is "System.Collections.Immutable" or "System.Collections.Frozen" ||
               (ns == "System" && type.Name is "Guid" or "DateTime" or "DateTimeOffset" or "TimeSpan" or "DateOnly" or "TimeOnly" or "Uri" or "Version" or "Decimal");
    }

    /// <summary>A use of <paramref name="symbol"/> by the node's code: an edge to the program's own member, a verdict for anyone else's.</summary>
    public void Reference(NodeBuilder node, ISymbol symbol, ITypeSymbol? receiver, Access access)
    {
        // IL calls accessors; source names the property or event, and so do the rules (Environment.NewLine, Task.Factory).
        if (symbol is IMethodSymbol { AssociatedSymbol: IPropertySymbol or IEventSymbol } accessor)
        {
            symbol = accessor.AssociatedSymbol;
        }

        var definition = Definition(symbol);
        var containing = definition.ContainingType;
        if (Symbols.IsProgram(definition))
        {
            ReferenceProgram(node, definition, containing, receiver, access);
            return;
        }

        if (receiver is not null && !SymbolEqualityComparer.Default.Equals(receiver, containing) && IsCapability(receiver))
        {
            node.Effect("[Capability] " + EffectNames.Qualified(definition));
            return;
        }

        // A constructed member (List<Process>.Add) is judged as its definition, and its type arguments as types:
        // that is what the rules do with it, and the definitions recur far more often than their constructions.
        if (TypeArgumentDenial(symbol) is { } argumentEffect)
        {
            node.Effect(argumentEffect);
            return;
        }

        var judged = symbol is IMethodSymbol method ? method.OriginalDefinition : symbol.OriginalDefinition;
        var verdicts = access == Access.Construct ? _constructions : _calls;
        if (!verdicts.TryGetValue(judged, out var verdict))
        {
            verdict = new Verdict();
            Judge(verdict, judged, definition, containing, access);
            verdicts.Add(judged, verdict);
        }

        if (verdict.EffectText is { } effect)
        {
            node.Effect(effect);
        }

        if (verdict.ReadText is { } read)
        {
            node.Read(read);
        }
    }

    /// <summary>The first type argument of a constructed member of another assembly (its own or its type's) the rules deny, as an effect.</summary>
    private string? TypeArgumentDenial(ISymbol symbol)
    {
        if (symbol is IMethodSymbol { IsGenericMethod: true } method && !SymbolEqualityComparer.Default.Equals(method, method.OriginalDefinition))
        {
            foreach (var argument in method.TypeArguments)
            {
                if (ArgumentDenial(argument) is { } denied)
                {
                    return EffectNames.Qualified(symbol) + " (" + denied + ")";
                }
            }
        }

        for (var type = symbol.ContainingType; type is not null; type = type.ContainingType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, type.OriginalDefinition))
            {
                continue;
            }

            foreach (var argument in type.TypeArguments)
            {
                if (ArgumentDenial(argument) is { } denied)
                {
                    return EffectNames.Qualified(symbol) + " (" + denied + ")";
                }
            }
        }

        return null;
    }

    private string? ArgumentDenial(ITypeSymbol argument)
    {
        if (argument is INamedTypeSymbol named && Symbols.IsProgram(named.OriginalDefinition) && named.TypeArguments.IsEmpty)
        {
            // The program's own types are judged by the graph, not by the framework allowlist.
            return null;
        }

        if (!_arguments.TryGetValue(argument, out var denied))
        {
            denied = Rules.CheckType(argument) is not null ? EffectNames.Qualified(argument) : null;
            _arguments.Add(argument, denied);
        }

        return denied;
    }

    /// <summary>What using another assembly's member means, the same wherever the program uses it.</summary>
    private void Judge(Verdict node, ISymbol symbol, ISymbol definition, INamedTypeSymbol? containing, Access access)
    {
        if (containing is not null && IsCapability(containing))
        {
            node.Effect("[Capability] " + EffectNames.Qualified(definition));
            return;
        }

        var assembly = definition.ContainingAssembly;
        var assemblyName = assembly?.Name ?? "";
        if (assemblyName == "Holes")
        {
            if (containing is not null && CapabilityFacts.IsMetadataName(containing.OriginalDefinition, CapabilityFacts.ClassifiedType))
            {
                if (definition.Name == "Reveal")
                {
                    node.Effect(EffectNames.Qualified(definition));
                }

                return;
            }

            if (containing is not null && !IsHolesData(containing.OriginalDefinition) && Rules.CheckSymbol(symbol) is not null)
            {
                node.Effect(EffectNames.Qualified(definition));
            }

            return;
        }

        if (CapabilityRules.IsFrameworkAssembly(assemblyName))
        {
            if (Rules.CheckSymbol(symbol) is not null)
            {
                node.Effect(EffectNames.Qualified(symbol));
            }
            else if (definition is IFieldSymbol { IsStatic: true, IsReadOnly: false, IsConst: false })
            {
                node.Read("reads mutable static " + EffectNames.Qualified(definition));
            }

            return;
        }

        ReferenceLibrary(node, definition, containing, assembly, access);
    }

    /// <summary>A field, auto-property or captured parameter of type <paramref name="type"/>: the instance (or the type) holds what it refers to.</summary>
    public void Holds(NodeBuilder node, ITypeSymbol type)
    {
        // Worked out once per type: a program's fields and properties share a few dozen types (string, a list of a record).
        if (!_held.TryGetValue(type, out var held))
        {
            held = HeldBy(type);
            _held.Add(type, held);
        }

        foreach (var (edge, effect) in held)
        {
            if (edge is not null)
            {
                node.Edge(edge);
            }
            else
            {
                node.Effect(effect!);
            }
        }
    }

    /// <summary>What holding a value of <paramref name="type"/> means, in order: edges to the program's types, effects of others'.</summary>
    private List<(string? Edge, string? Effect)> HeldBy(ITypeSymbol type)
    {
        var held = new List<(string? Edge, string? Effect)>();
        foreach (var part in Parts(type))
        {
            var definition = part.OriginalDefinition;
            if (Symbols.IsProgram(definition))
            {
                if (Symbols.Id(definition) is { } id)
                {
                    held.Add((id, null));
                }

                if (IsCapability(part))
                {
                    held.Add((null, "[Capability] " + EffectNames.Qualified(definition)));
                }

                continue;
            }

            if (IsCapability(part))
            {
                held.Add((null, "[Capability] " + EffectNames.Qualified(definition)));
            }
            else if (IsAuthorityDenial(part))
            {
                held.Add((null, EffectNames.Qualified(definition)));
            }
            else if (definition.ContainingAssembly is { } assembly && Symbols.Library(assembly) is { } library &&
                     Symbols.Id(definition) is { } libraryId && library.Effects.TryGetValue(libraryId, out var path))
            {
                held.Add((null, EffectNames.Qualified(definition) + EffectGraph.Arrow + path));
            }
        }

        return held;
    }

    private void ReferenceProgram(NodeBuilder node, ISymbol definition, INamedTypeSymbol? containing, ITypeSymbol? receiver, Access access)
    {
        if (Symbols.Id(definition) is { } id)
        {
            node.Edge(id);
        }

        if (containing is null)
        {
            return;
        }

        if (access == Access.Construct)
        {
            if (Symbols.Id(containing.OriginalDefinition) is { } typeId)
            {
                node.Edge(EffectGraph.NewPrefix + typeId);
            }
        }
        else if (definition.IsStatic && definition is not INamedTypeSymbol)
        {
            node.Edge(CctorId(containing));
        }

        if (IsCapability(containing) || (receiver is not null && IsCapability(receiver)))
        {
            node.Effect("[Capability] " + EffectNames.Qualified(definition));
        }

        if (definition is IFieldSymbol { IsStatic: true, IsReadOnly: false, IsConst: false } or IEventSymbol { IsStatic: true })
        {
            node.Read("reads mutable static " + Local(definition));
        }
    }

    /// <summary>A library's member: its effect table decides, or without one the fallback rules (statics are effects unless shown pure).</summary>
    private void ReferenceLibrary(Verdict node, ISymbol definition, INamedTypeSymbol? containing, IAssemblySymbol? assembly, Access access)
    {
        if (assembly is null)
        {
            return;
        }

        if (Symbols.Library(assembly) is { } library)
        {
            var id = Symbols.Id(definition);
            if (id is not null && library.Effects.TryGetValue(id, out var path))
            {
                node.Effect(EffectNames.Qualified(definition) + EffectGraph.Arrow + path);
            }
            else if (access == Access.Construct && containing is not null && Symbols.Id(containing.OriginalDefinition) is { } typeId &&
                     library.Effects.TryGetValue(typeId, out var typePath))
            {
                node.Effect("new " + EffectNames.Qualified(containing) + EffectGraph.Arrow + typePath);
            }
            else if (definition.IsStatic && definition is not IFieldSymbol { IsConst: true } && (id is null || !library.EffectFree.Contains(id)) &&
                     definition is not IFieldSymbol { IsReadOnly: true })
            {
                node.Effect(EffectNames.Qualified(definition) + " (a static member " + assembly.Name + "'s effect table does not list as effect-free)");
            }

            return;
        }

        if (!definition.IsStatic || definition is IFieldSymbol { IsConst: true } || CapabilityFacts.IsDeclaredPure(definition) ||
            definition is IFieldSymbol { IsReadOnly: true } readOnlyField && IsImmutable(readOnlyField.Type))
        {
            return;
        }

        node.Effect(EffectNames.Qualified(definition) + " (a static member of " + assembly.Name + ", which has no effect table)");
    }

    /// <summary>A framework type whose denial is about authority (I/O, network, processes, threads, process state, reflection, the engine), not merely an API outside the allowlist.</summary>
    private bool IsAuthorityDenial(INamedTypeSymbol type)
    {
        var assembly = type.ContainingAssembly?.Name ?? "";
        if (assembly == "Holes")
        {
            return !IsHolesData(type.OriginalDefinition);
        }

        if (!CapabilityRules.IsFrameworkAssembly(assembly))
        {
            return false;
        }

        return Rules.CheckType(type.OriginalDefinition) is { } denial &&
               denial.Id is not (HoleDiagnosticIds.NotAllowed or HoleDiagnosticIds.ExpressionTrees or HoleDiagnosticIds.Dynamic or HoleDiagnosticIds.RegexWithoutTimeout);
    }

    /// <summary>Types of the Holes library that are data: classified values, attributes, exceptions, results.</summary>
    private static bool IsHolesData(INamedTypeSymbol type)
    {
        if (CapabilityFacts.IsMetadataName(type, CapabilityFacts.ClassifiedType) || type.Name is "Agents" or "HoleAttempt" or "HoleDiagnostic" or "HoleDiagnosticSeverity" or "HoleStatus")
        {
            return true;
        }

        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t is { Name: "Attribute" or "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The named types a type is built from: itself, its type arguments, array elements (type parameters are left out).</summary>
    private static IEnumerable<INamedTypeSymbol> Parts(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                foreach (var part in Parts(array.ElementType))
                {
                    yield return part;
                }

                break;
            case INamedTypeSymbol named:
                yield return named;
                foreach (var argument in named.TypeArguments)
                {
                    foreach (var part in Parts(argument))
                    {
                        yield return part;
                    }
                }

                break;
        }
    }

    /// <summary>The effect (and the read of mutable static state) a use of another assembly's member has.</summary>
    private sealed class Verdict
    {
        public string? EffectText { get; private set; }

        public string? ReadText { get; private set; }

        public void Effect(string effect) => EffectText ??= effect;

        public void Read(string read) => ReadText ??= read;
    }
}
