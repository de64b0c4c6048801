using Holes.Rules;
using System.Diagnostics;
using Holes.Pipeline.Compile;
using Holes.Runtime;
using Holes.Scope;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.Pipeline.Nesting;

/// <summary>
/// Describes a hole that the source generator did not see (a call through a library built without it, or a
/// qualified call inside a fill): its location from the stack, its values by position and their run-time types.
/// </summary>
internal static class RuntimeSites
{
    public static HoleSite Describe(Type resultType, object?[] values)
    {
        var (file, line, member, source) = Caller();
        var parameters = new List<HoleParameter>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            var type = values[i]?.GetType() ?? typeof(object);
            parameters.Add(new HoleParameter($"value{i}", RuntimeTypeNames.FullyQualified(type), $"value{i}"));
        }

        var types = new[] { resultType }.Concat(values.Select(v => v?.GetType() ?? typeof(object)));
        return new HoleSite(file, line, 0, member, RuntimeTypeNames.FullyQualified(resultType), parameters, [], Declarations(types), source);
    }

    private static readonly ConditionalWeakTable<HoleSite, ConcurrentDictionary<RuntimeTypesKey, HoleSite>> s_closed = new();

    /// <summary>
    /// Whether the site's spelled types must be replaced by run-time ones before the hole is described: it names type
    /// parameters (a hole in a generic method), or it was spelled <c>object</c> for a result type that is really more
    /// specific (a site from a generator that could not spell it).
    /// </summary>
    public static bool NeedsRuntimeTypes(HoleSite site, Type resultType) =>
        site.IsOpen || (resultType != typeof(object) && site.ResultType is "object" or TypeNames.FullyQualifiedObject);

    /// <summary>
    /// The site with the types its holes really have this time: the result type from <paramref name="resultType"/>
    /// (the <c>T</c> the interceptor was called with), and each value's type with the site's type parameters
    /// substituted. Those are inferred by matching the spelled types against the run-time ones (<c>List&lt;T&gt;</c>
    /// against <c>List&lt;int&gt;</c> gives <c>T = int</c>; an <c>IEnumerable&lt;T&gt;</c> against the interfaces of the
    /// value's class); a value whose type stays open is described by its own run-time type. The declarations the
    /// model needs for the new types are added.
    /// </summary>
    public static HoleSite WithRuntimeTypes(HoleSite site, Type resultType, object?[] values)
    {
        var key = new RuntimeTypesKey(resultType, values.Select(v => v?.GetType()).ToArray());
        var cache = s_closed.GetValue(site, static _ => new ConcurrentDictionary<RuntimeTypesKey, HoleSite>());
        return cache.GetOrAdd(key, static (k, state) => Close(state.site, k.Result, state.values), (site, values));
    }

    private static HoleSite Close(HoleSite site, Type resultType, object?[] values)
    {
        var parameters = new HashSet<string>(site.TypeParameters, StringComparer.Ordinal);
        var bindings = new Dictionary<string, Type>(StringComparer.Ordinal);
        if (parameters.Count > 0)
        {
            Unify(SyntaxFactory.ParseTypeName(site.ResultType), resultType, parameters, bindings);
            for (var i = 0; i < site.Parameters.Count && i < values.Length; i++)
            {
                if (values[i] is { } value)
                {
                    Unify(SyntaxFactory.ParseTypeName(site.Parameters[i].Type), value.GetType(), parameters, bindings);
                }
            }
        }

        var described = new List<Type> { resultType };
        var closedParameters = new List<HoleParameter>(site.Parameters.Count);
        for (var i = 0; i < site.Parameters.Count; i++)
        {
            var parameter = site.Parameters[i];
            var type = parameter.Type;
            if (parameters.Count > 0 && Substitute(type, parameters, bindings, described) is { } substituted)
            {
                type = substituted;
            }
            else if (parameters.Count > 0 && MentionsAny(type, parameters))
            {
                // A type parameter nothing pinned down (its value was null, or its type is one fills cannot name).
                var runtime = i < values.Length ? values[i]?.GetType() : null;
                type = runtime is not null && RuntimeTypeNames.IsNameable(runtime) ? RuntimeTypeNames.FullyQualified(runtime) : "object";
                if (runtime is not null)
                {
                    described.Add(runtime);
                }
            }

            closedParameters.Add(type == parameter.Type ? parameter : new HoleParameter(parameter.Name, type, parameter.Expression));
        }

        var declarations = site.TypeDeclarations.Concat(Declarations(described)).Distinct(StringComparer.Ordinal).ToList();
        return new HoleSite(
            site.FilePath, site.Line, site.Column, site.MemberName, RuntimeTypeNames.FullyQualified(resultType), closedParameters,
            site.Usings, declarations, site.EnclosingSource, site.CapabilityBound, model: site.Model);
    }

    /// <summary>Binds the type parameters in <paramref name="syntax"/> by matching it against <paramref name="type"/>.</summary>
    private static void Unify(TypeSyntax syntax, Type type, HashSet<string> parameters, Dictionary<string, Type> bindings)
    {
        switch (syntax)
        {
            case IdentifierNameSyntax identifier when parameters.Contains(identifier.Identifier.ValueText):
                bindings.TryAdd(identifier.Identifier.ValueText, type);
                return;
            case NullableTypeSyntax nullable:
                Unify(nullable.ElementType, Nullable.GetUnderlyingType(type) ?? type, parameters, bindings);
                return;
            case ArrayTypeSyntax array:
                var element = type;
                foreach (var rank in array.RankSpecifiers)
                {
                    if (!element.IsArray || element.GetArrayRank() != rank.Rank)
                    {
                        return;
                    }

                    element = element.GetElementType()!;
                }

                Unify(array.ElementType, element, parameters, bindings);
                return;
            case TupleTypeSyntax tuple:
                var elements = TupleElements(type);
                if (elements is not null && elements.Count == tuple.Elements.Count)
                {
                    for (var i = 0; i < elements.Count; i++)
                    {
                        Unify(tuple.Elements[i].Type, elements[i], parameters, bindings);
                    }
                }

                return;
            case NameSyntax name:
                var arguments = new List<TypeSyntax>();
                var metadataName = MetadataName(name, arguments);
                if (arguments.Count == 0 || Generic(type, metadataName) is not { } match)
                {
                    return;
                }

                var actual = match.GetGenericArguments();
                if (actual.Length == arguments.Count)
                {
                    for (var i = 0; i < actual.Length; i++)
                    {
                        Unify(arguments[i], actual[i], parameters, bindings);
                    }
                }

                return;
        }
    }

    /// <summary>
    /// The name a spelled type has in metadata, with <c>.</c> between all parts (<c>System.Collections.Generic.List`1</c>),
    /// collecting its type arguments left to right as the runtime lists them.
    /// </summary>
    private static string MetadataName(NameSyntax name, List<TypeSyntax> arguments) => name switch
    {
        AliasQualifiedNameSyntax alias => MetadataName(alias.Name, arguments),
        QualifiedNameSyntax qualified => MetadataName(qualified.Left, arguments) + "." + MetadataName(qualified.Right, arguments),
        GenericNameSyntax generic => AddArguments(generic, arguments),
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => name.ToString(),
    };

    private static string AddArguments(GenericNameSyntax generic, List<TypeSyntax> arguments)
    {
        arguments.AddRange(generic.TypeArgumentList.Arguments);
        return generic.Identifier.ValueText + "`" + generic.TypeArgumentList.Arguments.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The type itself, a base class or an interface of it that is the generic type <paramref name="metadataName"/>.</summary>
    private static Type? Generic(Type type, string metadataName)
    {
        static bool Matches(Type candidate, string name) =>
            candidate.IsGenericType && candidate.GetGenericTypeDefinition().FullName?.Replace('+', '.') == name;

        for (var t = type; t is not null; t = t.BaseType)
        {
            if (Matches(t, metadataName))
            {
                return t;
            }
        }

        return type.GetInterfaces().FirstOrDefault(i => Matches(i, metadataName));
    }

    private static List<Type>? TupleElements(Type type)
    {
        if (!type.IsGenericType || type.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) != true)
        {
            return null;
        }

        var arguments = type.GetGenericArguments();
        var elements = new List<Type>(arguments);
        if (arguments.Length == 8)
        {
            elements.RemoveAt(7);
            if (TupleElements(arguments[7]) is not { } rest)
            {
                return null;
            }

            elements.AddRange(rest);
        }

        return elements;
    }

    /// <summary>The spelled type with its type parameters replaced; <see langword="null"/> if one has no run-time type a fill can name.</summary>
    private static string? Substitute(string spelling, HashSet<string> parameters, Dictionary<string, Type> bindings, List<Type> described)
    {
        var syntax = SyntaxFactory.ParseTypeName(spelling);
        var replacements = new List<(int Start, int Length, string Text)>();
        foreach (var identifier in TypeParameterNames(syntax, parameters))
        {
            if (!bindings.TryGetValue(identifier.Identifier.ValueText, out var bound) || !RuntimeTypeNames.IsNameable(bound))
            {
                return null;
            }

            described.Add(bound);
            replacements.Add((identifier.SpanStart, identifier.Span.Length, RuntimeTypeNames.FullyQualified(bound)));
        }

        if (replacements.Count == 0)
        {
            return null;
        }

        var text = syntax.ToString();
        var offset = syntax.SpanStart;
        foreach (var (start, length, replacement) in replacements.OrderByDescending(r => r.Start))
        {
            text = text[..(start - offset)] + replacement + text[(start - offset + length)..];
        }

        return text;
    }

    private static bool MentionsAny(string spelling, HashSet<string> parameters) =>
        TypeParameterNames(SyntaxFactory.ParseTypeName(spelling), parameters).Any();

    /// <summary>Identifiers that stand for a type parameter: bare names (every other type is spelled <c>global::</c>-qualified or as a keyword).</summary>
    private static IEnumerable<IdentifierNameSyntax> TypeParameterNames(TypeSyntax syntax, HashSet<string> parameters) =>
        syntax.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Where(i =>
            parameters.Contains(i.Identifier.ValueText) && i.Parent is not (QualifiedNameSyntax or AliasQualifiedNameSyntax));

    /// <summary>The run-time types a site was closed over: the result type and each value's class.</summary>
    private sealed class RuntimeTypesKey(Type result, Type?[] values) : IEquatable<RuntimeTypesKey>
    {
        private readonly Type?[] _values = values;

        public Type Result { get; } = result;

        public bool Equals(RuntimeTypesKey? other) => other is not null && other.Result == Result && other._values.SequenceEqual(_values);

        public override bool Equals(object? obj) => Equals(obj as RuntimeTypesKey);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Result);
            foreach (var value in _values)
            {
                hash.Add(value);
            }

            return hash.ToHashCode();
        }
    }

    private static IReadOnlyList<string> Declarations(IEnumerable<Type> types)
    {
        // Framework types are only named in the prompt; resolving symbols would wait for the reference set.
        var own = types.Where(t => !IsFrameworkOnly(t)).ToList();
        if (own.Count == 0)
        {
            return [];
        }

        types = own;
        try
        {
            var compilation = ReferenceSet.Shared.Template;
            var symbols = types.Select(t => Resolve(compilation, t)).OfType<ITypeSymbol>().ToList();
            return TypeDescriber.Describe(symbols);
        }
        catch (Exception)
        {
            return [];
        }
    }

    private static bool IsFrameworkOnly(Type type) =>
        type.HasElementType ? IsFrameworkOnly(type.GetElementType()!) :
        Holes.Rules.CapabilityRules.IsFrameworkAssembly(type.Assembly.GetName().Name ?? "") &&
        (!type.IsGenericType || type.GetGenericArguments().All(IsFrameworkOnly));

    private static ITypeSymbol? Resolve(Compilation compilation, Type type)
    {
        if (type.IsArray)
        {
            return Resolve(compilation, type.GetElementType()!) is { } element ? compilation.CreateArrayTypeSymbol(element, type.GetArrayRank()) : null;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            var definition = Resolve(compilation, type.GetGenericTypeDefinition()) as INamedTypeSymbol;
            var arguments = type.GetGenericArguments().Select(a => Resolve(compilation, a)).ToArray();
            return definition is null || arguments.Any(a => a is null) ? null : definition.Construct(arguments!);
        }

        var name = type.FullName;
        if (name is null)
        {
            return null;
        }

        var assembly = type.Assembly.GetName().Name;
        return compilation.GetTypesByMetadataName(name).FirstOrDefault(t => t.ContainingAssembly.Name == assembly);
    }

    private static (string File, int Line, string Member, string Source) Caller()
    {
        var holes = typeof(RuntimeSites).Assembly;
        foreach (var frame in new StackTrace(1, fNeedFileInfo: true).GetFrames())
        {
            var method = frame.GetMethod();
            var type = method?.DeclaringType;
            if (type is null || type.Assembly == holes || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
            {
                continue;
            }

            var file = frame.GetFileName();
            var line = frame.GetFileLineNumber();
            var member = type.FullName + "." + method!.Name;
            return file is null ? (type.Assembly.GetName().Name ?? "unknown", 0, member, "") : (file, line, member, SourceAround(file, line));
        }

        return ("unknown", 0, "", "");
    }

    private static string SourceAround(string file, int line)
    {
        try
        {
            if (line <= 0 || !File.Exists(file))
            {
                return "";
            }

            var lines = File.ReadAllLines(file);
            var from = Math.Max(0, line - 25);
            var to = Math.Min(lines.Length, line + 10);
            return string.Join('\n', lines[from..to].Select((l, i) => from + i + 1 == line ? l + " /* <-- this hole */" : l));
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
