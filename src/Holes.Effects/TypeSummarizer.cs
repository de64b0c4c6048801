using Holes.Rules;
using Microsoft.CodeAnalysis;
using Mono.Cecil;

namespace Holes.Effects;

/// <summary>
/// Summarises one type of the compiled program for the effect graph: a node per field, property, event, method and
/// constructor, and one for the static constructor, each with the effects its own code has and the members and types
/// it reaches. Declarations come from Roslyn's symbols for the type, code from its IL.
/// </summary>
internal sealed class TypeSummarizer
{
    private readonly ReferenceJudge _judge;
    private readonly ProgramSymbols _symbols;
    private readonly BodyScanner _scanner;
    private readonly CompilerGenerated _generated;

    private HashSet<string>? _vouched;

    public TypeSummarizer(ReferenceJudge judge, CompilerGenerated generated)
    {
        _judge = judge;
        _symbols = judge.Symbols;
        _scanner = new BodyScanner(judge);
        _generated = generated;
    }

    /// <summary>
    /// Whether the developer vouched for a member with <c>[Pure]</c>: the compiler drops that attribute (it is
    /// <c>[Conditional("CONTRACTS_FULL")]</c>), so the generator, which sees it in the source, recorded the member as
    /// <c>[assembly: HoleEffectFree(id)]</c> before this step runs. Its code is then not judged, as the source-based
    /// analysis did not judge it.
    /// </summary>
    private bool IsVouched(string id)
    {
        _vouched ??= new HashSet<string>(
            _symbols.Assembly.GetAttributes()
                .Where(a => a.AttributeClass is { Name: "HoleEffectFreeAttribute", ContainingNamespace: { Name: "Runtime", ContainingNamespace.Name: "Holes" } })
                .Select(a => a.ConstructorArguments is [{ Value: string symbol }] ? symbol : null)
                .OfType<string>(),
            StringComparer.Ordinal);
        return _vouched.Contains(id);
    }

    /// <summary>Whether a type of the module is one the program declares (not the compiler's, not the hole interceptors, not an enum or delegate).</summary>
    public static bool IsSummarized(TypeDefinition type) =>
        !CompilerGenerated.IsGeneratedType(type) && !CompilerGenerated.IsInterceptor(type) && !type.IsEnum &&
        type.BaseType?.FullName != "System.MulticastDelegate";

    public TypeEffects? Summarize(TypeDefinition definition)
    {
        if (_symbols.Definition(definition) is not INamedTypeSymbol type || _symbols.Id(type) is not { } typeId)
        {
            return null;
        }

        var builder = new Builder(this, type, typeId);
        foreach (var field in definition.Fields)
        {
            builder.AddField(field, definition);
        }

        foreach (var property in definition.Properties)
        {
            builder.AddProperty(property, definition);
        }

        foreach (var @event in definition.Events)
        {
            builder.AddEvent(@event, definition);
        }

        foreach (var method in definition.Methods)
        {
            builder.AddMethod(method, definition);
        }

        return builder.Result();
    }

    /// <summary>Builds the nodes of one type.</summary>
    private sealed class Builder
    {
        private readonly TypeSummarizer _owner;
        private readonly INamedTypeSymbol _type;
        private readonly string _typeId;
        private readonly List<NodeBuilder> _nodes = new();
        private readonly Dictionary<string, NodeBuilder> _byId = new(StringComparer.Ordinal);
        private readonly List<string> _typeEffects = new();
        private readonly List<string> _typeEdges = new();

        // Asked for each member; computed once per type (a type's members times its interface members otherwise).
        private HashSet<string>? _fieldNames;
        private HashSet<string>? _eventNames;
        private Dictionary<ISymbol, List<string>>? _implementations;

        public Builder(TypeSummarizer owner, INamedTypeSymbol type, string typeId)
        {
            _owner = owner;
            _type = type;
            _typeId = typeId;
            if (Judge.IsCapability(type))
            {
                _typeEffects.Add("[Capability] " + EffectNames.Qualified(type));
            }

            if (type.BaseType is { } baseType && Symbols.IsProgram(baseType) && Symbols.Id(baseType.OriginalDefinition) is { } baseId)
            {
                _typeEdges.Add(baseId);
            }
        }

        private ReferenceJudge Judge => _owner._judge;

        private ProgramSymbols Symbols => _owner._symbols;

        public TypeEffects Result() => new(
            _typeId,
            Judge.Local(_type),
            EffectNames.IsVisible(_type),
            new EquatableArray<string>(_typeEffects),
            new EquatableArray<string>(_typeEdges),
            new EquatableArray<EffectNode>(_nodes.Select(n => n.Build()).ToList()));

        public void AddField(FieldDefinition field, TypeDefinition declaring)
        {
            if (field.IsLiteral || field.IsSpecialName || Symbols.Definition(field) is not IFieldSymbol symbol)
            {
                return;
            }

            string name;
            if (CompilerGenerated.IsGeneratedName(field.Name))
            {
                // A class's primary-constructor parameter the compiler keeps (<p>P): the instance holds it. Backing fields
                // of properties and events are their property's or event's.
                if (!field.Name.EndsWith(">P", StringComparison.Ordinal))
                {
                    return;
                }

                name = Judge.Local(_type) + "." + field.Name[1..field.Name.IndexOf('>', StringComparison.Ordinal)];
            }
            else if (declaring.HasEvents && EventNames(declaring).Contains(field.Name))
            {
                return;
            }
            else
            {
                name = Judge.Local(symbol);
            }

            if (Symbols.Id(symbol) is not { } id)
            {
                return;
            }

            var node = Node(id, name, EffectNodeKind.Field, symbol.IsStatic, EffectNames.IsVisible(symbol) && !CompilerGenerated.IsGeneratedName(field.Name));
            if (symbol.IsStatic && !symbol.IsReadOnly)
            {
                node.Effect("mutable static state");
            }

            Judge.Holds(node, symbol.Type);
        }

        public void AddProperty(PropertyDefinition property, TypeDefinition declaring)
        {
            if (Symbols.Definition(property) is not IPropertySymbol symbol || Symbols.Id(symbol) is not { } id)
            {
                return;
            }

            var accessors = new[] { property.GetMethod, property.SetMethod }.Where(m => m is not null).Cast<MethodDefinition>().ToList();
            var backing = FieldNames(declaring).Contains("<" + property.Name + ">k__BackingField");
            if (!backing && accessors.All(_owner._generated.IsSynthesized))
            {
                // A record's EqualityContract and the like: synthesized, with no code of the program.
                return;
            }

            var node = Node(id, Judge.Local(symbol), EffectNodeKind.Property, symbol.IsStatic, EffectNames.IsVisible(symbol));
            AddImplements(node, symbol);
            if (_owner.IsVouched(id))
            {
                return;
            }

            if (backing)
            {
                Judge.Holds(node, symbol.Type);
                if (symbol.IsStatic && property.SetMethod is not null)
                {
                    node.Effect("mutable static state");
                }
            }

            foreach (var accessor in accessors)
            {
                if (!_owner._generated.IsSynthesized(accessor))
                {
                    Scan(accessor, node, initializing: null);
                }
            }
        }

        public void AddEvent(EventDefinition @event, TypeDefinition declaring)
        {
            if (Symbols.Definition(@event) is not IEventSymbol symbol || Symbols.Id(symbol) is not { } id)
            {
                return;
            }

            var node = Node(id, Judge.Local(symbol), EffectNodeKind.Event, symbol.IsStatic, EffectNames.IsVisible(symbol));
            AddImplements(node, symbol);
            if (FieldNames(declaring).Contains(@event.Name))
            {
                // A field-like event holds its handlers; a static one is mutable static state.
                Judge.Holds(node, symbol.Type);
                if (symbol.IsStatic)
                {
                    node.Effect("mutable static state");
                }
            }

            foreach (var accessor in new[] { @event.AddMethod, @event.RemoveMethod, @event.InvokeMethod })
            {
                if (accessor is not null && !_owner._generated.IsSynthesized(accessor))
                {
                    Scan(accessor, node, initializing: null);
                }
            }
        }

        public void AddMethod(MethodDefinition method, TypeDefinition declaring)
        {
            if (method.IsGetter || method.IsSetter || method.IsAddOn || method.IsRemoveOn || method.IsFire || method.IsOther ||
                CompilerGenerated.IsGeneratedMethod(method) || _owner._generated.IsSynthesized(method) ||
                Symbols.Definition(method) is not IMethodSymbol symbol)
            {
                return;
            }

            if (method.IsConstructor && method.IsStatic)
            {
                var initializer = Node(Judge.CctorId(_type), "static " + Judge.Local(_type), EffectNodeKind.StaticInitializer, isStatic: true, isVisible: false);
                Scan(method, initializer, initializing: declaring);
                return;
            }

            if (Symbols.Id(symbol) is not { } id)
            {
                return;
            }

            NodeBuilder node;
            if (method.IsConstructor)
            {
                node = Node(id, Judge.Local(symbol), EffectNodeKind.Constructor, isStatic: false, EffectNames.IsVisible(symbol));
            }
            else if (method.Name == "<Main>$")
            {
                node = Node(id, "top-level statements", EffectNodeKind.Method, isStatic: true, isVisible: false);
            }
            else
            {
                node = Node(id, Judge.Local(symbol), EffectNodeKind.Method, symbol.IsStatic, EffectNames.IsVisible(symbol));
                AddImplements(node, symbol);
            }

            if (method.IsPInvokeImpl || method.IsInternalCall || (method.IsRuntime && !method.HasBody) || (!method.HasBody && !method.IsAbstract && symbol.IsExtern))
            {
                node.Effect("native code " + EffectNames.Qualified(symbol));
            }

            if (!_owner.IsVouched(id))
            {
                Scan(method, node, initializing: null);
            }
        }

        /// <summary>The member's own IL and that of every lambda, local function and state machine it owns.</summary>
        private void Scan(MethodDefinition method, NodeBuilder node, TypeDefinition? initializing)
        {
            _owner._scanner.Scan(method, node, initializing);
            foreach (var generated in _owner._generated.OwnedBy(method))
            {
                _owner._scanner.Scan(generated, node, initializing: null);
            }
        }

        private void AddImplements(NodeBuilder node, ISymbol symbol)
        {
            var overridden = symbol switch
            {
                IMethodSymbol m => m.OverriddenMethod,
                IPropertySymbol p => p.OverriddenProperty,
                IEventSymbol e => e.OverriddenEvent,
                _ => (ISymbol?)null,
            };
            if (overridden is not null && Symbols.IsProgram(overridden) && Symbols.Id(overridden.OriginalDefinition) is { } overriddenId)
            {
                node.Implement(overriddenId);
            }

            if (!symbol.IsStatic && Implementations().TryGetValue(symbol, out var implemented))
            {
                foreach (var id in implemented)
                {
                    node.Implement(id);
                }
            }
        }

        /// <summary>For each member of this type that implements members of the program's interfaces, their ids.</summary>
        private Dictionary<ISymbol, List<string>> Implementations()
        {
            if (_implementations is not null)
            {
                return _implementations;
            }

            _implementations = new Dictionary<ISymbol, List<string>>(SymbolEqualityComparer.Default);
            foreach (var implemented in _type.AllInterfaces)
            {
                if (!Symbols.IsProgram(implemented))
                {
                    continue;
                }

                foreach (var candidate in implemented.GetMembers())
                {
                    if (_type.FindImplementationForInterfaceMember(candidate) is { IsStatic: false } implementation &&
                        implementation.Kind == candidate.Kind &&
                        Symbols.Id(candidate.OriginalDefinition) is { } candidateId)
                    {
                        if (!_implementations.TryGetValue(implementation, out var ids))
                        {
                            ids = new List<string>();
                            _implementations.Add(implementation, ids);
                        }

                        ids.Add(candidateId);
                    }
                }
            }

            return _implementations;
        }

        private HashSet<string> FieldNames(TypeDefinition declaring) =>
            _fieldNames ??= new HashSet<string>(declaring.Fields.Select(f => f.Name), StringComparer.Ordinal);

        private HashSet<string> EventNames(TypeDefinition declaring) =>
            _eventNames ??= new HashSet<string>(declaring.Events.Select(e => e.Name), StringComparer.Ordinal);

        private NodeBuilder Node(string id, string name, EffectNodeKind kind, bool isStatic, bool isVisible)
        {
            if (!_byId.TryGetValue(id, out var node))
            {
                node = new NodeBuilder(id, name, kind, isStatic, isVisible);
                _byId.Add(id, node);
                _nodes.Add(node);

                // Using a static member runs the type's static initializer first.
                if (isStatic && kind != EffectNodeKind.StaticInitializer)
                {
                    node.Edge(Judge.CctorId(_type));
                }

                // Every member of a [Capability] type is a use of it.
                if (_typeEffects.Count > 0 && kind != EffectNodeKind.StaticInitializer)
                {
                    node.Effect(_typeEffects[0]);
                }
            }

            return node;
        }
    }
}
