using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Holes.Pipeline.Compile;
using Holes.Rules;
using Holes.Scope;
using Microsoft.CodeAnalysis;

namespace Holes.Pipeline.Prompt;

/// <summary>
/// The "Capabilities handed in" section of a hole's message: which values are capabilities, and the API of each
/// capability interface (every public member with its doc summary), plus the data types that API exchanges. A model
/// has never seen <c>IFileSystem</c>; without its members and what they refuse it would guess, and the fill would fail.
/// </summary>
/// <remarks>
/// Capabilities are found on the run-time type of each value (a <c>[Capability]</c> interface it implements, else a
/// <c>[Capability]</c> class it is or derives from), so a capability handed in as its class or as an interface shows
/// the same API. Members and docs come from the Roslyn symbols the fill compiles against, whose doc comments are read
/// from the XML file beside each assembly, so the text is exactly what the library's authors wrote.
/// </remarks>
internal static partial class CapabilityDescriber
{
    private const string Indent = "    ";

    private static readonly SymbolDisplayFormat s_type = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes
            | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
            | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat s_member = s_type
        .WithMemberOptions(SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeRef)
        .WithParameterOptions(SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName
            | SymbolDisplayParameterOptions.IncludeParamsRefOut | SymbolDisplayParameterOptions.IncludeDefaultValue)
        .WithGenericsOptions(SymbolDisplayGenericsOptions.IncludeTypeParameters | SymbolDisplayGenericsOptions.IncludeTypeConstraints);

    private static readonly SymbolDisplayFormat s_parameter = s_member.WithMemberOptions(SymbolDisplayMemberOptions.None);

    // What records and Classified<T> carry besides their data: compiler-made members, and Reveal, which fills may never call.
    private static readonly HashSet<string> s_hiddenMembers = ["Equals", "GetHashCode", "ToString", "Deconstruct", "PrintMembers", "EqualityContract", "Reveal"];

    /// <summary>
    /// The capabilities among <paramref name="bindings"/>: which values they are, the API block declaring them, and the
    /// headers of the declarations that block contains (so declarations shown elsewhere can leave those types out);
    /// <see langword="null"/> when none is a capability.
    /// </summary>
    public static CapabilityText? Describe(IReadOnlyList<Binding> bindings)
    {
        var handedIn = new List<(string Name, IReadOnlyList<Type> Capabilities)>();
        foreach (var binding in bindings)
        {
            if (binding.Value is { } value && CapabilityTypes(value.GetType()) is { Count: > 0 } capabilities)
            {
                handedIn.Add((binding.Name, capabilities));
            }
        }

        if (handedIn.Count == 0)
        {
            return null;
        }

        var compilation = ReferenceSet.Shared.Template;
        var roots = new List<INamedTypeSymbol>();
        foreach (var type in handedIn.SelectMany(h => h.Capabilities).Distinct())
        {
            if (Symbol(compilation, type) is { } symbol)
            {
                roots.Add(symbol);
            }
        }

        var names = string.Join(", ", handedIn.Select(h => $"`{h.Name}` ({string.Join(", ", h.Capabilities.Select(c => c.Name.Split('`')[0]))})"));
        var api = new StringBuilder(4096);
        var declared = new HashSet<string>(StringComparer.Ordinal);
        if (roots.Count > 0)
        {
            api.Append("```csharp\n");
            var first = true;
            foreach (var group in WithRelatedTypes(roots).GroupBy(t => t.ContainingNamespace.ToDisplayString(), StringComparer.Ordinal))
            {
                api.Append(first ? "" : "\n").Append("namespace ").Append(group.Key).Append("\n{\n");
                first = false;
                var firstType = true;
                foreach (var type in group)
                {
                    api.Append(firstType ? "" : "\n");
                    firstType = false;
                    declared.Add(Declare(api, type));
                }

                api.Append("}\n");
            }

            api.Append("```\n");
        }

        return new CapabilityText(names, handedIn.Count, api.ToString(), declared);
    }

    /// <summary>The first line of a declaration that is not a doc comment: <c>public interface IFileSystem</c>.</summary>
    public static string Header(string declaration)
    {
        foreach (var line in declaration.Split('\n'))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith("///", StringComparison.Ordinal) && trimmed.Length > 0)
            {
                var cut = trimmed.IndexOfAny(['(', ':', '{', ';']);
                return (cut < 0 ? trimmed : trimmed[..cut]).TrimEnd();
            }
        }

        return "";
    }

    /// <summary>The <c>[Capability]</c> interfaces a run-time type implements; else the <c>[Capability]</c> class it is or derives from.</summary>
    internal static IReadOnlyList<Type> CapabilityTypes(Type type)
    {
        var interfaces = type.GetInterfaces().Where(i => i.IsDefined(typeof(CapabilityAttribute), inherit: false) && IsVisible(i))
            .Select(i => i.IsGenericType ? i.GetGenericTypeDefinition() : i)
            .Distinct()
            .OrderBy(i => i.FullName, StringComparer.Ordinal)
            .ToList();
        if (interfaces.Count > 0)
        {
            return interfaces;
        }

        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.IsDefined(typeof(CapabilityAttribute), inherit: false))
            {
                // The value's own class when the fill can name it; otherwise the marked base.
                var shown = IsVisible(type) ? type : t;
                return [shown.IsGenericType ? shown.GetGenericTypeDefinition() : shown];
            }
        }

        return [];
    }

    private static bool IsVisible(Type type) => type.IsPublic || type.IsNestedPublic || type.IsNotPublic || type.IsNestedAssembly;

    private static INamedTypeSymbol? Symbol(Compilation compilation, Type type)
    {
        if (type.FullName is not { } name)
        {
            return null;
        }

        var assembly = type.Assembly.GetName().Name;
        return compilation.GetTypesByMetadataName(name).FirstOrDefault(s => s.ContainingAssembly?.Identity.Name == assembly);
    }

    /// <summary>The capabilities, then the non-framework types their members exchange (records, <c>Classified&lt;T&gt;</c>), breadth first.</summary>
    private static List<INamedTypeSymbol> WithRelatedTypes(List<INamedTypeSymbol> roots)
    {
        var seen = new HashSet<INamedTypeSymbol>(roots, SymbolEqualityComparer.Default);
        var ordered = new List<INamedTypeSymbol>(roots);
        for (var i = 0; i < ordered.Count && ordered.Count < 16; i++)
        {
            var signatures = VisibleMembers(ordered[i]).Concat(PositionalConstructor(ordered[i]) is { } positional ? [positional] : []);
            foreach (var member in signatures)
            {
                foreach (var type in SignatureTypes(member))
                {
                    if (type is INamedTypeSymbol named && !TypeDescriber.IsFrameworkAssembly(named.ContainingAssembly) &&
                        named.OriginalDefinition is { TypeKind: TypeKind.Class or TypeKind.Struct or TypeKind.Enum or TypeKind.Interface } definition &&
                        definition.DeclaredAccessibility == Accessibility.Public && seen.Add(definition))
                    {
                        ordered.Add(definition);
                    }
                }
            }
        }

        return ordered;
    }

    private static IEnumerable<ITypeSymbol> SignatureTypes(ISymbol member)
    {
        var types = member switch
        {
            IMethodSymbol method => method.Parameters.Select(p => p.Type).Prepend(method.ReturnType),
            IPropertySymbol property => [property.Type],
            _ => [],
        };

        foreach (var type in types)
        {
            foreach (var part in Flatten(type))
            {
                yield return part;
            }
        }
    }

    private static IEnumerable<ITypeSymbol> Flatten(ITypeSymbol type)
    {
        yield return type;
        var inner = type switch
        {
            IArrayTypeSymbol array => [array.ElementType],
            INamedTypeSymbol named => named.TypeArguments,
            _ => [],
        };

        foreach (var argument in inner)
        {
            foreach (var part in Flatten(argument))
            {
                yield return part;
            }
        }
    }

    private static IMethodSymbol? PositionalConstructor(INamedTypeSymbol type)
    {
        if (!type.IsRecord)
        {
            return null;
        }

        // Metadata does not mark a record's primary constructor: take the one whose parameters are all its properties.
        var properties = type.GetMembers().OfType<IPropertySymbol>().ToDictionary(p => p.Name, StringComparer.Ordinal);
        return type.InstanceConstructors
            .Where(c => c.DeclaredAccessibility == Accessibility.Public && c.Parameters.Length > 0 &&
                !(c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, type)) &&
                c.Parameters.All(p => properties.TryGetValue(p.Name, out var property) && SymbolEqualityComparer.Default.Equals(property.Type, p.Type)))
            .OrderByDescending(c => c.Parameters.Length)
            .FirstOrDefault();
    }

    private static IEnumerable<ISymbol> VisibleMembers(INamedTypeSymbol type)
    {
        var positional = PositionalConstructor(type)?.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var member in type.GetMembers())
        {
            if (member.DeclaredAccessibility != Accessibility.Public || member.IsStatic || !member.CanBeReferencedByName ||
                s_hiddenMembers.Contains(member.Name) || positional.Contains(member.Name))
            {
                continue;
            }

            if (member is IPropertySymbol or IEventSymbol or IMethodSymbol { MethodKind: MethodKind.Ordinary })
            {
                yield return member;
            }
        }
    }

    /// <summary>Appends a type's declaration, indented inside its namespace block; returns its header line.</summary>
    private static string Declare(StringBuilder text, INamedTypeSymbol type)
    {
        var documentation = DocumentationSummary.Read(type);
        Summary(text, documentation.Summary, Indent);
        var positional = PositionalConstructor(type);
        if (positional is not null)
        {
            foreach (var (name, line) in documentation.Parameters)
            {
                text.Append(Indent).Append("/// ").Append(name).Append(": ").Append(Arity().Replace(line, "")).Append('\n');
            }
        }

        var header = new StringBuilder("public ");
        header.Append(type.TypeKind switch
        {
            TypeKind.Interface => "interface ",
            TypeKind.Enum => "enum ",
            TypeKind.Struct => type.IsRecord ? "record struct " : "struct ",
            _ => (type.IsSealed ? "sealed " : type.IsAbstract ? "abstract " : "") + (type.IsRecord ? "record " : "class "),
        });
        header.Append(type.ToDisplayString(s_type));
        var headerLine = header.ToString();
        if (positional is not null)
        {
            header.Append('(').AppendJoin(", ", positional.Parameters.Select(p => p.ToDisplayString(s_parameter))).Append(')');
        }

        text.Append(Indent).Append(header);
        var members = type.TypeKind == TypeKind.Enum
            ? type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).Cast<ISymbol>().ToList()
            : VisibleMembers(type).OrderBy(m => m is IMethodSymbol ? 1 : 0).ToList();
        if (members.Count == 0)
        {
            text.Append(positional is not null ? ";\n" : " { }\n");
            return headerLine;
        }

        text.Append('\n').Append(Indent).Append("{\n");
        foreach (var member in members)
        {
            Summary(text, DocumentationSummary.Of(member), Indent + Indent);
            text.Append(Indent).Append(Indent).Append(Line(member)).Append('\n');
        }

        text.Append(Indent).Append("}\n");
        return headerLine;
    }

    private static string Line(ISymbol member) => DefaultValue().Replace(member switch
    {
        IFieldSymbol field => field.Name + ",",
        IPropertySymbol property => property.ToDisplayString(s_member) + (property.SetMethod is { DeclaredAccessibility: Accessibility.Public } setter
            ? setter.IsInitOnly ? " { get; init; }" : " { get; set; }"
            : " { get; }"),
        _ => member.ToDisplayString(s_member) + ";",
    }, "= default");

    /// <summary><c>= default(CancellationToken)</c> as a C# programmer writes it.</summary>
    [GeneratedRegex(@"= default\([^()]*\)", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DefaultValue();

    /// <summary>Doc references to generic members read <c>Map``1</c> in plain text; the arity means nothing to a reader.</summary>
    [GeneratedRegex(@"`+\d+", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Arity();

    private static void Summary(StringBuilder text, string summary, string indent)
    {
        if (summary.Length > 0)
        {
            text.Append(indent).Append("/// ").Append(Arity().Replace(summary, "")).Append('\n');
        }
    }
}

/// <summary>The capabilities handed to a hole, described.</summary>
/// <param name="Names">Which values are capabilities, and of what: <c>`files` (IFileSystem)</c>.</param>
/// <param name="Count">How many values are capabilities.</param>
/// <param name="Api">The fenced block declaring their API and the data types it exchanges; empty when none could be read.</param>
/// <param name="Declared">The headers of the declarations in <paramref name="Api"/>.</param>
internal sealed record CapabilityText(string Names, int Count, string Api, IReadOnlySet<string> Declared)
{
    /// <summary>The sentence after the names: the capabilities act on the world, and are used only through <paramref name="where"/>.</summary>
    public string Sentence(string where) =>
        Names + (Count == 1 ? " acts" : " act") + " on the world for the program. Use " + (Count == 1 ? "it" : "them") +
        " only through the members declared " + where + ": code can never create a capability, and each one refuses what the program did not grant it.\n";
}
