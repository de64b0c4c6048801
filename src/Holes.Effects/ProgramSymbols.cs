using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mono.Cecil;

namespace Holes.Effects;

/// <summary>
/// Roslyn's view of the compiled program and its references, from metadata alone: declarations (accessibility,
/// attributes, overrides, interface implementations, display names, documentation ids) are read from symbols, so they
/// match what the generator and the runtime see, while method bodies are read from IL.
/// </summary>
/// <remarks>
/// No source is parsed or bound: the compilation holds only metadata references, and symbols are created lazily for
/// what the program's IL names. Private members are imported too (<see cref="MetadataImportOptions.All"/>): the
/// program's private helpers are part of its paths.
/// </remarks>
internal sealed class ProgramSymbols
{
    private readonly Dictionary<int, ISymbol> _byToken = new();
    private readonly Dictionary<MemberReference, ISymbol?> _resolved = new();
    private readonly Dictionary<uint, ISymbol?> _byOperandToken = new();
    private readonly Dictionary<string, ISymbol?> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<ISymbol, string?> _ids = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IAssemblySymbol, LibraryTable> _libraries = new(SymbolEqualityComparer.Default);

    public ProgramSymbols(ModuleDefinition module, MetadataReference image, IEnumerable<MetadataReference> references)
    {
        Module = module;
        Compilation = CSharpCompilation.Create(
            "Holes.Effects.Reader",
            references: references.Append(image),
            options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, metadataImportOptions: MetadataImportOptions.All));
        Assembly = Compilation.GetAssemblyOrModuleSymbol(image) as IAssemblySymbol
            ?? throw new InvalidOperationException($"Roslyn could not read '{module.Assembly.Name.Name}' as an assembly; the build step expects the compiler's intermediate assembly.");
        Index(Assembly.GlobalNamespace);
    }

    public ModuleDefinition Module { get; }

    public CSharpCompilation Compilation { get; }

    /// <summary>The program being analysed, as Roslyn reads it from its image.</summary>
    public IAssemblySymbol Assembly { get; }

    /// <summary>Whether <paramref name="symbol"/> is declared by the program.</summary>
    public bool IsProgram(ISymbol symbol) => SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, Assembly);

    /// <summary>The symbol of one of the program's own definitions (type, method, field, property, event).</summary>
    public ISymbol? Definition(IMetadataTokenProvider definition) =>
        _byToken.TryGetValue(definition.MetadataToken.ToInt32(), out var symbol) ? symbol : null;

    /// <summary>Roslyn's documentation comment id of a symbol (its definition's), remembered.</summary>
    public string? Id(ISymbol symbol)
    {
        if (!_ids.TryGetValue(symbol, out var id))
        {
            id = symbol.GetDocumentationCommentId();
            _ids.Add(symbol, id);
        }

        return id;
    }

    /// <summary>
    /// The symbol an IL operand names, constructed with its type arguments where it has them (<c>List&lt;Process&gt;.Add</c>),
    /// so the capability rules judge it as they judge the same call in source. <see langword="null"/> when it cannot be found.
    /// </summary>
    public ISymbol? Resolve(MemberReference reference)
    {
        // Cecil makes a new object for each use of a generic instantiation (a MethodSpec, a TypeSpec), so operands
        // read from the image are remembered by their token; references made up by Cecil itself by object.
        var token = reference.MetadataToken;
        if (token.RID != 0 && reference.Module == Module)
        {
            if (_byOperandToken.TryGetValue(token.ToUInt32(), out var known))
            {
                return known;
            }

            known = ResolveUncached(reference);
            _byOperandToken[token.ToUInt32()] = known;
            return known;
        }

        if (_resolved.TryGetValue(reference, out var symbol))
        {
            return symbol;
        }

        symbol = ResolveUncached(reference);
        _resolved[reference] = symbol;
        return symbol;
    }

    /// <summary>A type named in IL: the program's own by token, others by documentation id, constructed, arrays and type parameters too.</summary>
    public ITypeSymbol? Type(TypeReference type)
    {
        switch (type)
        {
            case TypeDefinition definition:
                return Definition(definition) as ITypeSymbol;
            case GenericParameter parameter:
                return parameter.Owner switch
                {
                    TypeReference owner when Type(owner) is INamedTypeSymbol named && parameter.Position < AllTypeParameters(named).Count =>
                        AllTypeParameters(named)[parameter.Position],
                    MethodReference owner when Resolve(owner) is IMethodSymbol method && parameter.Position < method.OriginalDefinition.TypeParameters.Length =>
                        method.OriginalDefinition.TypeParameters[parameter.Position],
                    _ => null,
                };
            case ArrayType array:
                return Type(array.ElementType) is { } element ? Compilation.CreateArrayTypeSymbol(element, array.Rank) : null;
            case TypeSpecification { ElementType: { } inner } when type is RequiredModifierType or OptionalModifierType or PinnedType or ByReferenceType:
                return Type(inner);
            case GenericInstanceType instance:
                if (Type(instance.ElementType) is not INamedTypeSymbol generic)
                {
                    return null;
                }

                var arguments = new ITypeSymbol[instance.GenericArguments.Count];
                for (var i = 0; i < arguments.Length; i++)
                {
                    if (Type(instance.GenericArguments[i]) is not { } argument)
                    {
                        return generic;
                    }

                    arguments[i] = argument;
                }

                return Construct(generic, arguments);
            case PointerType or FunctionPointerType:
                return null;
            default:
                return Resolve(type) as ITypeSymbol;
        }
    }

    /// <summary>The effect table a referenced library carries, or <see langword="null"/> when it has none.</summary>
    public LibraryTable? Library(IAssemblySymbol assembly)
    {
        var table = _libraries.GetOrAdd(assembly, LibraryTable.Read);
        return table.IsAnalyzed ? table : null;
    }

    private ISymbol? ResolveUncached(MemberReference reference)
    {
        var elementType = reference is TypeReference type ? type.GetElementType() : reference.DeclaringType?.GetElementType();
        if (reference is IMetadataTokenProvider && reference.Module == Module && reference is TypeDefinition or MethodDefinition or FieldDefinition or PropertyDefinition or EventDefinition)
        {
            return Definition(reference);
        }

        ISymbol? definition;
        if (elementType is TypeDefinition && reference is not TypeReference && elementType.Module == Module && Resolved(reference) is { } own)
        {
            definition = Definition(own);
        }
        else
        {
            definition = ById(reference is GenericInstanceMethod method ? method.ElementMethod : reference);
        }

        if (definition is null)
        {
            return null;
        }

        // Constructed: the containing type's arguments, then the method's own.
        if (reference.DeclaringType is GenericInstanceType declaring && Type(declaring) is INamedTypeSymbol constructed &&
            !SymbolEqualityComparer.Default.Equals(constructed, constructed.OriginalDefinition))
        {
            definition = constructed.GetMembers(definition.Name).FirstOrDefault(m => SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, definition)) ?? definition;
        }

        if (reference is GenericInstanceMethod instance && definition is IMethodSymbol { IsGenericMethod: true } generic)
        {
            var arguments = new ITypeSymbol[instance.GenericArguments.Count];
            for (var i = 0; i < arguments.Length; i++)
            {
                if (Type(instance.GenericArguments[i]) is not { } argument)
                {
                    return definition;
                }

                arguments[i] = argument;
            }

            if (arguments.Length == generic.TypeParameters.Length)
            {
                try
                {
                    definition = generic.Construct(arguments);
                }
                catch (ArgumentException)
                {
                    // A pointer or byref-like argument Roslyn will not construct with: the definition is judged instead.
                }
            }
        }

        return definition;
    }

    private static IMemberDefinition? Resolved(MemberReference reference)
    {
        try
        {
            return reference switch
            {
                MethodReference method => method.Resolve(),
                FieldReference field => field.Resolve(),
                _ => null,
            };
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }

    private ISymbol? ById(MemberReference reference)
    {
        if (DocumentationIds.Of(reference) is not { } id)
        {
            return null;
        }

        if (!_byId.TryGetValue(id, out var symbol))
        {
            symbol = DocumentationCommentId.GetFirstSymbolForDeclarationId(id, Compilation);
            _byId[id] = symbol;
        }

        return symbol;
    }

    private static INamedTypeSymbol Construct(INamedTypeSymbol generic, ITypeSymbol[] arguments)
    {
        // Metadata lists the arguments of every containing type first; Roslyn constructs each level with its own.
        var levels = new List<INamedTypeSymbol>();
        for (var t = generic; t is not null; t = t.ContainingType)
        {
            levels.Insert(0, t);
        }

        try
        {
            var used = 0;
            INamedTypeSymbol? current = null;
            foreach (var level in levels)
            {
                var definition = current is null ? level : current.GetTypeMembers(level.Name, level.Arity).FirstOrDefault() ?? level;
                if (level.Arity > 0 && used + level.Arity <= arguments.Length)
                {
                    definition = definition.Construct(arguments.AsSpan(used, level.Arity).ToArray());
                    used += level.Arity;
                }

                current = definition;
            }

            return current ?? generic;
        }
        catch (ArgumentException)
        {
            return generic;
        }
    }

    private static IReadOnlyList<ITypeParameterSymbol> AllTypeParameters(INamedTypeSymbol type)
    {
        var all = new List<ITypeParameterSymbol>();
        var levels = new List<INamedTypeSymbol>();
        for (var t = type.OriginalDefinition; t is not null; t = t.ContainingType)
        {
            levels.Insert(0, t);
        }

        foreach (var level in levels)
        {
            all.AddRange(level.TypeParameters);
        }

        return all;
    }

    private void Index(INamespaceSymbol ns)
    {
        foreach (var member in ns.GetMembers())
        {
            switch (member)
            {
                case INamespaceSymbol nested:
                    Index(nested);
                    break;
                case INamedTypeSymbol type:
                    Index(type);
                    break;
            }
        }
    }

    private void Index(INamedTypeSymbol type)
    {
        _byToken[type.MetadataToken] = type;

        // The members of the compiler's own types (display classes, state machines, <>c) are never looked up: their
        // code is scanned as their owner's, and references to them are passed over. Not loading them saves symbols.
        if (CompilerGenerated.IsGeneratedName(type.MetadataName) && !CompilerGenerated.IsFileLocalName(type.MetadataName))
        {
            return;
        }

        foreach (var member in type.GetMembers())
        {
            if (member is INamedTypeSymbol nested)
            {
                Index(nested);
            }
            else
            {
                _byToken[member.MetadataToken] = member;
            }
        }
    }
}
