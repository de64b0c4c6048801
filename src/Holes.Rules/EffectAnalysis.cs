using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Holes.Rules;

/// <summary>
/// Summarises one type declaration (or one file's top-level statements) for the effect table: for each member, the
/// effects its own code has and the other members and types it reaches. <see cref="EffectTable"/> closes the graph.
/// </summary>
/// <remarks>
/// <para>An effect is: a framework API the <see cref="CapabilityRules"/> deny; a write to static state, in every shape
/// (assignment, compound assignment, <c>++</c>, <c>ref</c>/<c>out</c> argument, <c>ref</c> local or return, address-of,
/// a mutator called on a collection or object reached through a static, a member of a struct or object reached through
/// a static); reading a static field that is not <c>readonly</c>; using a <c>[Capability]</c> type; a static member of
/// a library that has no effect table (unless <c>[Pure]</c>, constant, or <c>static readonly</c> of an immutable type);
/// <c>dynamic</c>, unsafe code and native methods.</para>
/// <para>Reaching another member of the program (a call, a property, a constructor, a static initializer) is an edge,
/// not an effect: whether it leads to one is decided for the whole program at once. A call through an interface or a
/// virtual method reaches every implementation in the program.</para>
/// </remarks>
internal static class EffectAnalysis
{
    private static readonly SymbolDisplayFormat s_local = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    private static readonly SymbolDisplayFormat s_qualified = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

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

    /// <summary>Cheap syntactic filter: a type declaration, or a file with top-level statements.</summary>
    public static bool IsSummaryNode(SyntaxNode node) => node switch
    {
        TypeDeclarationSyntax => true,
        CompilationUnitSyntax unit => HasGlobalStatements(unit),
        _ => false,
    };

    /// <summary>The declaration's contribution to the effect graph; <see langword="null"/> for syntax that declares no type.</summary>
    public static TypeEffects? Summarize(SyntaxNode node, SemanticModel model, EffectContext context, CancellationToken cancellationToken)
    {
        switch (node)
        {
            case TypeDeclarationSyntax declaration when model.GetDeclaredSymbol(declaration, cancellationToken) is INamedTypeSymbol type:
                var summarizer = new Summarizer(model, context, type, cancellationToken);
                summarizer.AddTypeDeclaration(declaration);
                return summarizer.Result();
            case CompilationUnitSyntax unit when HasGlobalStatements(unit):
                return SummarizeTopLevel(unit, model, context, cancellationToken);
            default:
                return null;
        }
    }

    private static bool HasGlobalStatements(CompilationUnitSyntax unit)
    {
        foreach (var member in unit.Members)
        {
            if (member is GlobalStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    private static TypeEffects? SummarizeTopLevel(CompilationUnitSyntax unit, SemanticModel model, EffectContext context, CancellationToken cancellationToken)
    {
        var first = unit.Members.OfType<GlobalStatementSyntax>().First();
        if (model.GetEnclosingSymbol(first.Statement.SpanStart, cancellationToken) is not IMethodSymbol main || main.ContainingType is null)
        {
            return null;
        }

        var summarizer = new Summarizer(model, context, main.ContainingType, cancellationToken);
        summarizer.AddTopLevelStatements(unit, main);
        return summarizer.Result();
    }

    /// <summary>Whether code outside the assembly (a fill, granted the host's internals) can name it.</summary>
    private static bool IsVisible(ISymbol symbol)
    {
        for (var s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            if (s.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal) ||
                s is INamedTypeSymbol { IsFileLocal: true })
            {
                return false;
            }
        }

        return true;
    }

    private static string Local(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor } ctor => "new " + ctor.ContainingType.ToDisplayString(s_local),
        IMethodSymbol { MethodKind: MethodKind.StaticConstructor } cctor => "static " + cctor.ContainingType.ToDisplayString(s_local),
        _ => symbol.ToDisplayString(s_local),
    };

    private static string Qualified(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor } ctor => "new " + ctor.ContainingType.ToDisplayString(s_qualified),
        _ => symbol.ToDisplayString(s_qualified),
    };

    private enum Access
    {
        Use,
        Call,
        Construct,
    }

    /// <summary>Builds the nodes of one type declaration.</summary>
    private sealed class Summarizer
    {
        private readonly SemanticModel _model;
        private readonly EffectContext _context;
        private readonly INamedTypeSymbol _type;
        private readonly CancellationToken _cancellationToken;
        private readonly string _typeId;
        private readonly List<NodeBuilder> _nodes = new();
        private readonly Dictionary<string, NodeBuilder> _byId = new(StringComparer.Ordinal);
        private readonly Dictionary<ISymbol, string?> _ids = new(SymbolEqualityComparer.Default);
        private readonly List<string> _typeEffects = new();
        private readonly List<string> _typeEdges = new();

        public Summarizer(SemanticModel model, EffectContext context, INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            _model = model;
            _context = context;
            _type = type;
            _cancellationToken = cancellationToken;
            _typeId = Id(type) ?? "T:" + type.ToDisplayString(s_qualified);

            if (_context.IsCapability(type))
            {
                _typeEffects.Add("[Capability] " + Qualified(type));
            }

            if (type.BaseType is { } baseType && _context.IsSource(baseType) && Id(baseType.OriginalDefinition) is { } baseId)
            {
                _typeEdges.Add(baseId);
            }
        }

        public TypeEffects Result() => new(
            _typeId,
            _type.ToDisplayString(s_local),
            IsVisible(_type),
            new EquatableArray<string>(_typeEffects),
            new EquatableArray<string>(_typeEdges),
            new EquatableArray<EffectNode>(_nodes.Select(n => n.Build())));

        private string InitId => EffectGraph.InitPrefix + _typeId;

        private string CctorId(INamedTypeSymbol type) => "M:" + (Id(type.OriginalDefinition) ?? _typeId).Substring(2) + ".#cctor";

        public void AddTopLevelStatements(CompilationUnitSyntax unit, IMethodSymbol main)
        {
            var node = Node(Id(main) ?? "M:" + _typeId.Substring(2) + ".<Main>$(System.String[])", "top-level statements", EffectNodeKind.Method, isStatic: true, isVisible: false);
            foreach (var member in unit.Members)
            {
                if (member is GlobalStatementSyntax global)
                {
                    Walk(_model.GetOperation(global.Statement, _cancellationToken), node);
                }
            }
        }

        public void AddTypeDeclaration(TypeDeclarationSyntax declaration)
        {
            foreach (var member in declaration.Members)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                switch (member)
                {
                    case FieldDeclarationSyntax field:
                        AddField(field.Declaration);
                        break;
                    case EventFieldDeclarationSyntax eventField:
                        AddField(eventField.Declaration);
                        break;
                    case BasePropertyDeclarationSyntax property:
                        AddProperty(property);
                        break;
                    case ConstructorDeclarationSyntax constructor:
                        AddConstructor(constructor);
                        break;
                    case BaseMethodDeclarationSyntax method:
                        AddMethod(method);
                        break;
                }
            }

            AddPrimaryConstructor(declaration);
            AddImplicitConstructor(declaration);
        }

        private void AddField(VariableDeclarationSyntax declaration)
        {
            foreach (var variable in declaration.Variables)
            {
                var symbol = _model.GetDeclaredSymbol(variable, _cancellationToken);
                if (symbol is IFieldSymbol { IsConst: true } || symbol is null || Id(symbol) is not { } id)
                {
                    continue;
                }

                var type = symbol switch
                {
                    IFieldSymbol f => f.Type,
                    IEventSymbol e => e.Type,
                    _ => null,
                };
                var node = Node(id, Local(symbol), symbol is IEventSymbol ? EffectNodeKind.Event : EffectNodeKind.Field, symbol.IsStatic, IsVisible(symbol));
                if (symbol.IsStatic && symbol is IEventSymbol or IFieldSymbol { IsReadOnly: false })
                {
                    node.Effect("mutable static state");
                }

                if (type is not null)
                {
                    Holds(node, type);
                }

                if (variable.Initializer is { } initializer)
                {
                    Walk(_model.GetOperation(initializer, _cancellationToken), Initializer(symbol.IsStatic));
                }
            }
        }

        private void AddProperty(BasePropertyDeclarationSyntax declaration)
        {
            if (_model.GetDeclaredSymbol(declaration, _cancellationToken) is not { } symbol || Id(symbol) is not { } id)
            {
                return;
            }

            var kind = symbol is IEventSymbol ? EffectNodeKind.Event : EffectNodeKind.Property;
            var node = Node(id, Local(symbol), kind, symbol.IsStatic, IsVisible(symbol));
            AddImplements(node, symbol);

            var accessors = declaration.AccessorList?.Accessors ?? default;
            var isAuto = declaration is PropertyDeclarationSyntax { ExpressionBody: null } && accessors.Count > 0 &&
                         accessors.All(a => a.Body is null && a.ExpressionBody is null) &&
                         !symbol.IsAbstract && !symbol.IsExtern && _type.TypeKind != TypeKind.Interface;
            if (isAuto && symbol is IPropertySymbol property)
            {
                Holds(node, property.Type);
                if (property.IsStatic && accessors.Any(a => a.IsKind(SyntaxKind.SetAccessorDeclaration)))
                {
                    node.Effect("mutable static state");
                }
            }

            foreach (var accessor in accessors)
            {
                if (accessor.Body is not null || accessor.ExpressionBody is not null)
                {
                    Walk(_model.GetOperation(accessor, _cancellationToken), node);
                }
            }

            switch (declaration)
            {
                case PropertyDeclarationSyntax { ExpressionBody: { } arrow }:
                    Walk(_model.GetOperation(arrow, _cancellationToken), node);
                    break;
                case IndexerDeclarationSyntax { ExpressionBody: { } arrow }:
                    Walk(_model.GetOperation(arrow, _cancellationToken), node);
                    break;
            }

            if (declaration is PropertyDeclarationSyntax { Initializer: { } initializer })
            {
                Walk(_model.GetOperation(initializer, _cancellationToken), Initializer(symbol.IsStatic));
            }
        }

        private void AddMethod(BaseMethodDeclarationSyntax declaration)
        {
            if (_model.GetDeclaredSymbol(declaration, _cancellationToken) is not IMethodSymbol symbol || Id(symbol) is not { } id)
            {
                return;
            }

            // A partial method's definition has no body; its implementation is the same symbol id and carries the code.
            var node = Node(id, Local(symbol), EffectNodeKind.Method, symbol.IsStatic, IsVisible(symbol));
            AddImplements(node, symbol);
            if (symbol.IsExtern || symbol.GetAttributes().Any(a => a.AttributeClass?.Name is "DllImportAttribute" or "LibraryImportAttribute"))
            {
                node.Effect("native code " + Qualified(symbol));
            }

            if (declaration.Body is not null || declaration.ExpressionBody is not null)
            {
                Walk(_model.GetOperation(declaration, _cancellationToken), node);
            }
        }

        private void AddConstructor(ConstructorDeclarationSyntax declaration)
        {
            if (_model.GetDeclaredSymbol(declaration, _cancellationToken) is not IMethodSymbol symbol)
            {
                return;
            }

            if (symbol.IsStatic)
            {
                Walk(_model.GetOperation(declaration, _cancellationToken), Initializer(isStatic: true));
                return;
            }

            if (Id(symbol) is not { } id)
            {
                return;
            }

            var node = Node(id, Local(symbol), EffectNodeKind.Constructor, isStatic: false, IsVisible(symbol));
            if (declaration.Initializer is not { ThisOrBaseKeyword.RawKind: (int)SyntaxKind.ThisKeyword })
            {
                node.Edge(InitId);
            }

            if (declaration.Initializer is null)
            {
                ImplicitBaseCall(node);
            }

            if (symbol.IsExtern)
            {
                node.Effect("native code " + Qualified(symbol));
            }

            Walk(_model.GetOperation(declaration, _cancellationToken), node);
        }

        /// <summary>A record's or class's primary constructor: the parameters it holds, the base call, the initializers it runs.</summary>
        private void AddPrimaryConstructor(TypeDeclarationSyntax declaration)
        {
            if (declaration.ParameterList is null)
            {
                return;
            }

            var tree = declaration.SyntaxTree;
            var ctor = _type.InstanceConstructors.FirstOrDefault(c => c.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == tree && r.Span == declaration.Span));
            if (ctor is null || Id(ctor) is not { } id)
            {
                return;
            }

            var node = Node(id, Local(ctor), EffectNodeKind.Constructor, isStatic: false, IsVisible(ctor));
            node.Edge(InitId);
            var primaryBase = declaration.BaseList?.Types.OfType<PrimaryConstructorBaseTypeSyntax>().FirstOrDefault();
            if (primaryBase is not null)
            {
                if (_model.GetSymbolInfo(primaryBase, _cancellationToken).Symbol is IMethodSymbol baseCtor)
                {
                    Reference(node, baseCtor, null, Access.Call);
                }

                foreach (var argument in primaryBase.ArgumentList.Arguments)
                {
                    Walk(_model.GetOperation(argument.Expression, _cancellationToken), node);
                }
            }
            else
            {
                ImplicitBaseCall(node);
            }

            // A record's parameters become properties; a class's are captured where used. Either way the instance holds them.
            foreach (var parameter in ctor.Parameters)
            {
                var property = _type.GetMembers(parameter.Name).OfType<IPropertySymbol>()
                    .FirstOrDefault(p => !p.DeclaringSyntaxReferences.Any(r => r.GetSyntax(_cancellationToken) is PropertyDeclarationSyntax));
                if (property is not null && Id(property) is { } propertyId)
                {
                    var held = Node(propertyId, Local(property), EffectNodeKind.Property, isStatic: false, IsVisible(property));
                    Holds(held, property.Type);
                }
                else if (_type.IsRecord is false)
                {
                    var held = Node("F:" + _typeId.Substring(2) + "." + parameter.Name, Local(_type) + "." + parameter.Name, EffectNodeKind.Field, isStatic: false, isVisible: false);
                    Holds(held, parameter.Type);
                }
            }
        }

        /// <summary>The parameterless constructor the compiler declares for a class or struct that declares none.</summary>
        private void AddImplicitConstructor(TypeDeclarationSyntax declaration)
        {
            if (_type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || _type.IsStatic ||
                _type.DeclaringSyntaxReferences.FirstOrDefault() is not { } first ||
                first.SyntaxTree != declaration.SyntaxTree || first.Span != declaration.Span)
            {
                return;
            }

            foreach (var ctor in _type.InstanceConstructors)
            {
                if (ctor.IsImplicitlyDeclared && ctor.Parameters.Length == 0 && Id(ctor) is { } id)
                {
                    var node = Node(id, Local(ctor), EffectNodeKind.Constructor, isStatic: false, IsVisible(ctor));
                    node.Edge(InitId);
                    ImplicitBaseCall(node);
                }
            }
        }

        private void ImplicitBaseCall(NodeBuilder node)
        {
            if (_type.BaseType is { } baseType && _context.IsSource(baseType))
            {
                var baseCtor = baseType.InstanceConstructors.FirstOrDefault(c => c.Parameters.All(p => p.IsOptional || p.IsParams));
                if (baseCtor is not null)
                {
                    Reference(node, baseCtor, null, Access.Call);
                }
            }
        }

        /// <summary>The node for the type's initializers: instance ones run in its constructors, static ones before its first use.</summary>
        private NodeBuilder Initializer(bool isStatic) => isStatic
            ? Node(CctorId(_type), "static " + Local(_type), EffectNodeKind.StaticInitializer, isStatic: true, isVisible: false)
            : Node(InitId, "new " + Local(_type), EffectNodeKind.InstanceInitializer, isStatic: false, isVisible: false);

        private void AddImplements(NodeBuilder node, ISymbol symbol)
        {
            var overridden = symbol switch
            {
                IMethodSymbol m => m.OverriddenMethod,
                IPropertySymbol p => p.OverriddenProperty,
                IEventSymbol e => e.OverriddenEvent,
                _ => (ISymbol?)null,
            };
            if (overridden is not null && _context.IsSource(overridden) && Id(overridden.OriginalDefinition) is { } overriddenId)
            {
                node.Implement(overriddenId);
            }

            if (symbol.IsStatic)
            {
                return;
            }

            foreach (var implemented in _type.AllInterfaces)
            {
                if (!_context.IsSource(implemented))
                {
                    continue;
                }

                foreach (var candidate in implemented.GetMembers(InterfaceMemberName(symbol)))
                {
                    if (SymbolEqualityComparer.Default.Equals(_type.FindImplementationForInterfaceMember(candidate), symbol) &&
                        Id(candidate.OriginalDefinition) is { } candidateId)
                    {
                        node.Implement(candidateId);
                    }
                }
            }
        }

        /// <summary>The name an interface member has that <paramref name="symbol"/> may implement (explicit implementations are named <c>I.M</c>).</summary>
        private static string InterfaceMemberName(ISymbol symbol)
        {
            var name = symbol.Name;
            var dot = name.LastIndexOf('.');
            return dot >= 0 ? name.Substring(dot + 1) : name;
        }

        /// <summary>A field, auto-property or captured parameter of type <paramref name="type"/>: the instance (or the type) holds what it refers to.</summary>
        private void Holds(NodeBuilder node, ITypeSymbol type)
        {
            foreach (var part in Parts(type))
            {
                var definition = part.OriginalDefinition;
                if (_context.IsSource(definition))
                {
                    if (Id(definition) is { } id)
                    {
                        node.Edge(id);
                    }

                    if (_context.IsCapability(part))
                    {
                        node.Effect("[Capability] " + Qualified(definition));
                    }

                    continue;
                }

                if (_context.IsCapability(part))
                {
                    node.Effect("[Capability] " + Qualified(definition));
                }
                else if (IsAuthorityDenial(part))
                {
                    node.Effect(Qualified(definition));
                }
                else if (definition.ContainingAssembly is { } assembly && _context.Library(assembly) is { } library &&
                         Id(definition) is { } libraryId && library.Effects.TryGetValue(libraryId, out var path))
                {
                    node.Effect(Qualified(definition) + EffectGraph.Arrow + path);
                }
            }
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

            return _context.Rules.CheckType(type.OriginalDefinition) is { } denial &&
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
                    node.Edge(CctorId(_type));
                }

                // Every member of a [Capability] type is a use of it.
                if (_typeEffects.Count > 0 && kind is not (EffectNodeKind.InstanceInitializer or EffectNodeKind.StaticInitializer))
                {
                    node.Effect(_typeEffects[0]);
                }
            }

            return node;
        }

        private string? Id(ISymbol symbol)
        {
            if (!_ids.TryGetValue(symbol, out var id))
            {
                id = symbol.GetDocumentationCommentId();
                _ids.Add(symbol, id);
            }

            return id;
        }

        /// <summary>
        /// Visits every operation under <paramref name="root"/>, parents before children, without recursion (a long
        /// chain of <c>+</c> is a deep tree). Constructs that evaluate nothing (<c>nameof</c>, <c>typeof</c>, <c>sizeof</c>) are skipped.
        /// </summary>
        private void Walk(IOperation? root, NodeBuilder node)
        {
            if (root is null)
            {
                return;
            }

            var stack = new Stack<IOperation>();
            stack.Push(root);
            var children = new List<IOperation>();
            while (stack.Count > 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var operation = stack.Pop();
                if (operation is INameOfOperation or ITypeOfOperation or ISizeOfOperation)
                {
                    continue;
                }

                Visit(operation, node);
                children.Clear();
                children.AddRange(operation.ChildOperations);
                for (var i = children.Count - 1; i >= 0; i--)
                {
                    stack.Push(children[i]);
                }
            }
        }

        private void Visit(IOperation operation, NodeBuilder node)
        {
            switch (operation)
            {
                case IInvocationOperation invocation:
                    VisitInvocation(invocation, node);
                    break;
                case IObjectCreationOperation { Constructor: { } ctor } creation:
                    Reference(node, ctor, null, Access.Construct);
                    RefArguments(creation.Arguments, node);
                    break;
                case IPropertyReferenceOperation property:
                    Reference(node, property.Property, property.Instance, Access.Use);
                    break;
                case IFieldReferenceOperation { Field.IsConst: false } field:
                    Reference(node, field.Field, field.Instance, Access.Use);
                    break;
                case IEventReferenceOperation @event:
                    Reference(node, @event.Event, @event.Instance, Access.Use);
                    break;
                case IMethodReferenceOperation method:
                    Reference(node, method.Method, method.Instance, Access.Call);
                    break;
                case IAssignmentOperation assignment:
                    if (assignment is ISimpleAssignmentOperation { IsRef: true } && StaticRoot(assignment.Value) is { } refRoot)
                    {
                        node.Effect("takes a reference to static " + refRoot);
                    }

                    Write(assignment.Target, node, "writes static ");
                    if (assignment is ICompoundAssignmentOperation { OperatorMethod: { } compoundOperator })
                    {
                        Reference(node, compoundOperator, null, Access.Call);
                    }

                    break;
                case IIncrementOrDecrementOperation increment:
                    Write(increment.Target, node, "writes static ");
                    if (increment.OperatorMethod is { } incrementOperator)
                    {
                        Reference(node, incrementOperator, null, Access.Call);
                    }

                    break;
                case IEventAssignmentOperation eventAssignment:
                    Write(eventAssignment.EventReference, node, "subscribes to static ");
                    break;
                case IAddressOfOperation addressOf:
                    Write(addressOf.Reference, node, "takes the address of static ");
                    node.Effect("unsafe code (address-of)");
                    break;
                case IVariableDeclaratorOperation { Symbol.RefKind: RefKind.Ref, Initializer.Value: { } referenced } when StaticRoot(referenced) is { } localRoot:
                    node.Effect("takes a reference to static " + localRoot);
                    break;
                case IReturnOperation { ReturnedValue: { } returned } when ReturnsWritableRef(operation) && StaticRoot(returned) is { } returnRoot:
                    node.Effect("returns a reference to static " + returnRoot);
                    break;
                case IConversionOperation { OperatorMethod: { } conversion }:
                    Reference(node, conversion, null, Access.Call);
                    break;
                case IBinaryOperation { OperatorMethod: { } binary }:
                    Reference(node, binary, null, Access.Call);
                    break;
                case IUnaryOperation { OperatorMethod: { } unary }:
                    Reference(node, unary, null, Access.Call);
                    break;
                case IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicObjectCreationOperation or IDynamicIndexerAccessOperation:
                    node.Effect("dynamic dispatch");
                    break;
                case IFunctionPointerInvocationOperation:
                    node.Effect("unsafe code (function pointer call)");
                    break;
                case IForEachLoopOperation { Syntax: ForEachStatementSyntax statement } loop when loop.Collection.Type is { } collection && _context.IsSource(collection.OriginalDefinition):
                    var info = _model.GetForEachStatementInfo(statement);
                    foreach (var member in new ISymbol?[] { info.GetEnumeratorMethod, info.MoveNextMethod, info.CurrentProperty })
                    {
                        if (member is not null)
                        {
                            Reference(node, member, null, Access.Call);
                        }
                    }

                    break;
            }
        }

        private void VisitInvocation(IInvocationOperation invocation, NodeBuilder node)
        {
            var method = invocation.TargetMethod;
            Reference(node, method, invocation.Instance, Access.Call);
            RefArguments(invocation.Arguments, node);

            if (method.IsStatic && method.ContainingType?.SpecialType == SpecialType.System_Array && s_arrayMutators.Contains(method.Name))
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (StaticRoot(argument.Value) is { } root)
                    {
                        node.Effect($"mutates static {root} ({Qualified(method.OriginalDefinition)})");
                    }
                }
            }

            // The object the method acts on: the receiver, or an extension method's first argument.
            var receiver = invocation.Instance;
            if (receiver is null && method.IsExtensionMethod && invocation.Arguments.Length > 0)
            {
                receiver = invocation.Arguments[0].Value;
            }

            if (receiver is null || (method.IsStatic && !method.IsExtensionMethod) || receiver is IInstanceReferenceOperation { ReferenceKind: not InstanceReferenceKind.ContainingTypeInstance })
            {
                return;
            }

            var isSource = _context.IsSource(method.OriginalDefinition) && !method.IsExtensionMethod;
            if (StaticRoot(receiver) is { } staticRoot)
            {
                if (isSource && Id(Definition(method)) is { } calleeId)
                {
                    node.StaticCall(new StaticReceiverCall(calleeId, staticRoot));
                }
                else if (!isSource && IsMutator(method, receiver.Type))
                {
                    node.Effect($"mutates static {staticRoot} ({Qualified(method.OriginalDefinition)})");
                }
            }
            else if (IsThisRooted(receiver))
            {
                if (isSource && Id(Definition(method)) is { } calleeId)
                {
                    node.ThisCall(calleeId);
                }
                else if (!isSource && receiver is not IInstanceReferenceOperation && IsMutator(method, receiver.Type))
                {
                    node.WritesThis = true;
                }
            }
        }

        private void RefArguments(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, NodeBuilder node)
        {
            foreach (var argument in arguments)
            {
                if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out)
                {
                    Write(argument.Value, node, "passes by reference static ");
                }
            }
        }

        /// <summary>A write to <paramref name="target"/>: an effect when it is static state, a change of the instance when it is <c>this</c>'s.</summary>
        private void Write(IOperation target, NodeBuilder node, string verb)
        {
            if (target is ITupleOperation tuple)
            {
                foreach (var element in tuple.Elements)
                {
                    Write(element, node, verb);
                }

                return;
            }

            if (StaticRoot(target) is { } root)
            {
                node.Effect(verb + root);
            }
            else if (IsThisRooted(target))
            {
                node.WritesThis = true;
            }
        }

        /// <summary>
        /// The static field, property or event a location is reached through (<c>Config.Current.Name</c> → <c>Config.Current</c>),
        /// or <see langword="null"/> when it is reached through a local, a parameter, <c>this</c> or a call.
        /// </summary>
        private string? StaticRoot(IOperation? operation)
        {
            while (operation is not null)
            {
                switch (operation)
                {
                    case IFieldReferenceOperation field:
                        if (field.Field.IsStatic)
                        {
                            return field.Field.IsConst ? null : Describe(field.Field);
                        }

                        operation = field.Instance;
                        break;
                    case IPropertyReferenceOperation property:
                        if (property.Property.IsStatic)
                        {
                            return Describe(property.Property);
                        }

                        operation = property.Instance;
                        break;
                    case IEventReferenceOperation @event:
                        if (@event.Event.IsStatic)
                        {
                            return Describe(@event.Event);
                        }

                        operation = @event.Instance;
                        break;
                    case IArrayElementReferenceOperation element:
                        operation = element.ArrayReference;
                        break;
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        break;
                    default:
                        return null;
                }
            }

            return null;
        }

        private static bool IsThisRooted(IOperation? operation)
        {
            while (operation is not null)
            {
                switch (operation)
                {
                    case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                        return true;
                    case IFieldReferenceOperation { Field.IsStatic: false } field:
                        operation = field.Instance;
                        break;
                    case IPropertyReferenceOperation { Property.IsStatic: false } property:
                        operation = property.Instance;
                        break;
                    case IEventReferenceOperation { Event.IsStatic: false } @event:
                        operation = @event.Instance;
                        break;
                    case IArrayElementReferenceOperation element:
                        operation = element.ArrayReference;
                        break;
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        break;
                    default:
                        return false;
                }
            }

            return false;
        }

        private static bool ReturnsWritableRef(IOperation operation)
        {
            for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
            {
                switch (parent)
                {
                    case ILocalFunctionOperation local:
                        return local.Symbol.RefKind == RefKind.Ref;
                    case IAnonymousFunctionOperation lambda:
                        return lambda.Symbol.RefKind == RefKind.Ref;
                    case IMethodBodyOperation { SemanticModel: { } model } body:
                        return model.GetDeclaredSymbol(body.Syntax) is IMethodSymbol { RefKind: RefKind.Ref } or IPropertySymbol { RefKind: RefKind.Ref };
                }
            }

            return false;
        }

        private static bool IsMutator(IMethodSymbol method, ITypeSymbol? receiver)
        {
            if (!s_mutators.Contains(method.Name) || receiver is null || IsImmutable(receiver))
            {
                return false;
            }

            return true;
        }

        private static bool IsImmutable(ITypeSymbol type)
        {
            if (type.SpecialType != SpecialType.None || type.TypeKind == TypeKind.Enum)
            {
                return true;
            }

            var ns = type.ContainingNamespace?.ToDisplayString() ?? "";
            return ns is "System.Collections.Immutable" or "System.Collections.Frozen" ||
                   (ns == "System" && type.Name is "Guid" or "DateTime" or "DateTimeOffset" or "TimeSpan" or "DateOnly" or "TimeOnly" or "Uri" or "Version" or "Decimal");
        }

        private static ISymbol Definition(ISymbol symbol)
        {
            if (symbol is IMethodSymbol method)
            {
                method = method.ReducedFrom ?? method;
                var definition = method.OriginalDefinition;

                // Accessors stand for their property or event: that is the node the graph has.
                return definition.AssociatedSymbol is IPropertySymbol or IEventSymbol ? definition.AssociatedSymbol : definition;
            }

            return symbol.OriginalDefinition;
        }

        /// <summary>How a static location reads in an effect: local name for the program's own, qualified for others.</summary>
        private string Describe(ISymbol symbol) => _context.IsSource(symbol) ? Local(symbol.OriginalDefinition) : Qualified(symbol.OriginalDefinition);

        /// <summary>A use of <paramref name="symbol"/> by the node's code: an edge to the program's own member, a verdict for anyone else's.</summary>
        private void Reference(NodeBuilder node, ISymbol symbol, IOperation? instance, Access access)
        {
            if (symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
            {
                return;
            }

            var definition = Definition(symbol);
            var containing = definition.ContainingType;
            if (_context.IsSource(definition))
            {
                ReferenceSource(node, definition, containing, instance, access);
                return;
            }

            if ((containing is not null && _context.IsCapability(containing)) || (instance?.Type is { } receiver && _context.IsCapability(receiver)))
            {
                node.Effect("[Capability] " + Qualified(definition));
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
                        node.Effect(Qualified(definition));
                    }

                    return;
                }

                if (containing is not null && !IsHolesData(containing.OriginalDefinition) && _context.Rules.CheckSymbol(symbol) is not null)
                {
                    node.Effect(Qualified(definition));
                }

                return;
            }

            if (CapabilityRules.IsFrameworkAssembly(assemblyName))
            {
                if (_context.Rules.CheckSymbol(symbol) is not null)
                {
                    node.Effect(Qualified(symbol));
                }
                else if (definition is IFieldSymbol { IsStatic: true, IsReadOnly: false, IsConst: false })
                {
                    node.Effect("reads mutable static " + Qualified(definition));
                }

                return;
            }

            ReferenceLibrary(node, definition, containing, assembly, access);
        }

        private void ReferenceSource(NodeBuilder node, ISymbol definition, INamedTypeSymbol? containing, IOperation? instance, Access access)
        {
            if (Id(definition) is { } id)
            {
                node.Edge(id);
            }

            if (containing is null)
            {
                return;
            }

            if (access == Access.Construct)
            {
                if (Id(containing.OriginalDefinition) is { } typeId)
                {
                    node.Edge(EffectGraph.NewPrefix + typeId);
                }
            }
            else if (definition.IsStatic && definition is not INamedTypeSymbol)
            {
                node.Edge(CctorId(containing));
            }

            if (_context.IsCapability(containing) || (instance?.Type is { } receiver && _context.IsCapability(receiver)))
            {
                node.Effect("[Capability] " + Qualified(definition));
            }

            if (definition is IFieldSymbol { IsStatic: true, IsReadOnly: false, IsConst: false } or IEventSymbol { IsStatic: true })
            {
                node.Effect("reads mutable static " + Local(definition));
            }
        }

        /// <summary>A library's member: its effect table decides, or without one the fallback rules (statics are effects unless shown pure).</summary>
        private void ReferenceLibrary(NodeBuilder node, ISymbol definition, INamedTypeSymbol? containing, IAssemblySymbol? assembly, Access access)
        {
            if (assembly is null)
            {
                return;
            }

            if (_context.Library(assembly) is { } library)
            {
                var id = Id(definition);
                if (id is not null && library.Effects.TryGetValue(id, out var path))
                {
                    node.Effect(Qualified(definition) + EffectGraph.Arrow + path);
                }
                else if (access == Access.Construct && containing is not null && Id(containing.OriginalDefinition) is { } typeId &&
                         library.Effects.TryGetValue(typeId, out var typePath))
                {
                    node.Effect("new " + Qualified(containing) + EffectGraph.Arrow + typePath);
                }
                else if (definition.IsStatic && definition is not IFieldSymbol { IsConst: true } && (id is null || !library.EffectFree.Contains(id)) &&
                         definition is not IFieldSymbol { IsReadOnly: true })
                {
                    node.Effect(Qualified(definition) + " (a static member " + assembly.Name + "'s effect table does not list as effect-free)");
                }

                return;
            }

            if (!definition.IsStatic || definition is IFieldSymbol { IsConst: true } || CapabilityFacts.IsDeclaredPure(definition) ||
                definition is IFieldSymbol { IsReadOnly: true } readOnlyField && IsImmutable(readOnlyField.Type))
            {
                return;
            }

            node.Effect(Qualified(definition) + " (a static member of " + assembly.Name + ", which has no effect table)");
        }
    }

    /// <summary>Collects one node's effects and edges, keeping first-found order and no duplicates.</summary>
    private sealed class NodeBuilder
    {
        private readonly OrderedSet<string> _effects = new();
        private readonly OrderedSet<string> _edges = new();
        private readonly OrderedSet<string> _implements = new();
        private readonly OrderedSet<StaticReceiverCall> _staticCalls = new();
        private readonly OrderedSet<string> _thisCalls = new();

        public NodeBuilder(string id, string name, EffectNodeKind kind, bool isStatic, bool isVisible)
        {
            Id = id;
            Name = name;
            Kind = kind;
            IsStatic = isStatic;
            IsVisible = isVisible;
        }

        public string Id { get; }

        public string Name { get; }

        public EffectNodeKind Kind { get; }

        public bool IsStatic { get; }

        public bool IsVisible { get; }

        public bool WritesThis { get; set; }

        public void Effect(string effect) => _effects.Add(effect);

        public void Edge(string id)
        {
            if (id != Id)
            {
                _edges.Add(id);
            }
        }

        public void Implement(string id) => _implements.Add(id);

        public void StaticCall(StaticReceiverCall call) => _staticCalls.Add(call);

        public void ThisCall(string id) => _thisCalls.Add(id);

        public EffectNode Build() => new(
            Id,
            Name,
            Kind,
            IsStatic,
            IsVisible,
            _effects.ToArray(),
            _edges.ToArray(),
            _implements.ToArray(),
            new EquatableArray<StaticReceiverCall>(_staticCalls.Items),
            WritesThis,
            _thisCalls.ToArray());
    }

    private sealed class OrderedSet<T>
        where T : IEquatable<T>
    {
        private readonly HashSet<T> _seen = new();

        public List<T> Items { get; } = new();

        public void Add(T item)
        {
            if (_seen.Add(item))
            {
                Items.Add(item);
            }
        }

        public EquatableArray<T> ToArray() => new(Items);
    }
}
