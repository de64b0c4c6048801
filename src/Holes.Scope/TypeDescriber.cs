using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.Scope;

/// <summary>
/// Writes the C# surface of the program's own types that a hole touches. A model knows <c>List&lt;T&gt;</c>
/// but has never seen <c>Person</c>; without its declaration it guesses member names and the fill fails to compile.
/// </summary>
internal static class TypeDescriber
{
    /// <summary>
    /// How many declarations one hole gets by default. Reachable types grow fast through member types;
    /// past a dozen the prompt costs more than the extra declarations help.
    /// </summary>
    public const int DefaultMaxTypes = 12;

    private static readonly SymbolDisplayFormat s_typeName = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters | SymbolDisplayGenericsOptions.IncludeVariance,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes
            | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
            | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat s_member = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters | SymbolDisplayGenericsOptions.IncludeTypeConstraints,
        memberOptions: SymbolDisplayMemberOptions.IncludeAccessibility
            | SymbolDisplayMemberOptions.IncludeModifiers
            | SymbolDisplayMemberOptions.IncludeType
            | SymbolDisplayMemberOptions.IncludeParameters
            | SymbolDisplayMemberOptions.IncludeRef
            | SymbolDisplayMemberOptions.IncludeConstantValue,
        kindOptions: SymbolDisplayKindOptions.IncludeMemberKeyword,
        propertyStyle: SymbolDisplayPropertyStyle.NameOnly,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType
            | SymbolDisplayParameterOptions.IncludeName
            | SymbolDisplayParameterOptions.IncludeParamsRefOut
            | SymbolDisplayParameterOptions.IncludeDefaultValue
            | SymbolDisplayParameterOptions.IncludeExtensionThis,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes
            | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
            | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat s_parameter = s_member.WithMemberOptions(SymbolDisplayMemberOptions.None);

    /// <summary>Declarations for the own types reachable from <paramref name="types"/>, at most <see cref="DefaultMaxTypes"/>.</summary>
    public static IReadOnlyList<string> Describe(IEnumerable<ITypeSymbol> types)
        => Describe(types, DefaultMaxTypes, CancellationToken.None);

    /// <summary>
    /// Declarations for the own types reachable from <paramref name="types"/> through member types, generic
    /// arguments and base types, breadth first so the types named at the hole come before the ones they lead to.
    /// </summary>
    public static IReadOnlyList<string> Describe(IEnumerable<ITypeSymbol> types, int maxTypes, CancellationToken cancellationToken)
    {
        var walker = new Walker();
        foreach (ITypeSymbol type in types)
        {
            walker.Visit(type);
        }

        var declarations = new List<string>();
        while (declarations.Count < maxTypes && walker.Pending.Count != 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            declarations.Add(Declare(walker.Pending.Dequeue(), walker, cancellationToken));
        }

        return declarations;
    }

    /// <summary>
    /// Framework types are named, not declared: the model already knows them and their surface is huge.
    /// </summary>
    public static bool IsFrameworkAssembly(IAssemblySymbol? assembly)
    {
        if (assembly is null)
        {
            return true;
        }

        string name = assembly.Name;
        return name == "mscorlib"
            || name == "netstandard"
            || name == "System"
            || name.StartsWith("System.", StringComparison.Ordinal)
            || name == "Microsoft"
            || name.StartsWith("Microsoft.", StringComparison.Ordinal);
    }

    private static bool IsOwnType(INamedTypeSymbol type)
    {
        if (type.IsImplicitlyDeclared || type.IsAnonymousType || type.IsTupleType || IsFrameworkAssembly(type.ContainingAssembly))
        {
            return false;
        }

        // A fill cannot name a private nested type, so its declaration would only mislead.
        if (!TypeNames.IsNameableDefinition(type))
        {
            return false;
        }

        return type.TypeKind is TypeKind.Class or TypeKind.Struct or TypeKind.Interface or TypeKind.Enum or TypeKind.Delegate;
    }

    private static string Declare(INamedTypeSymbol type, Walker walker, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        var documentation = DocumentationSummary.Read(type, cancellationToken);
        AppendSummary(builder, documentation.Summary, "");

        if (type.TypeKind == TypeKind.Delegate && type.DelegateInvokeMethod is { } invoke)
        {
            walker.VisitSignature(invoke);
            builder.Append(AccessibilityKeyword(type)).Append("delegate ")
                .Append(invoke.ReturnType.ToDisplayString(s_typeName)).Append(' ')
                .Append(type.ToDisplayString(s_typeName))
                .Append('(').Append(Parameters(invoke.Parameters)).Append(");");
            return builder.ToString();
        }

        IMethodSymbol? primaryConstructor = PrimaryConstructor(type, cancellationToken);
        if (primaryConstructor is not null)
        {
            // A positional record's properties are its parameters: their <param> docs are the only place they are explained.
            foreach (var (name, text) in documentation.Parameters)
            {
                builder.Append("/// ").Append(name).Append(": ").Append(text).Append('\n');
            }
        }

        builder.Append(Header(type, primaryConstructor, walker));

        var members = new List<string>();
        foreach (ISymbol member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? line = MemberLine(type, member, primaryConstructor, walker, cancellationToken);
            if (line is null)
            {
                continue;
            }

            var memberBuilder = new StringBuilder();
            AppendSummary(memberBuilder, DocumentationSummary.Of(member, cancellationToken), "    ");
            memberBuilder.Append("    ").Append(line);
            members.Add(memberBuilder.ToString());
        }

        if (members.Count == 0 && type.TypeKind != TypeKind.Enum)
        {
            builder.Append(type.IsRecord || primaryConstructor is not null ? ";" : " { }");
            return builder.ToString();
        }

        builder.Append("\n{\n");
        foreach (string member in members)
        {
            builder.Append(member).Append('\n');
        }

        builder.Append('}');
        return builder.ToString();
    }

    /// <summary>
    /// A member the compiler wrote, read from metadata (the engine describes a generic hole's type argument that way):
    /// a record's <c>&lt;Clone&gt;$</c>, <c>EqualityContract</c>, <c>Equals</c> and the like, which source would not show.
    /// </summary>
    private static bool IsCompilerGeneratedInMetadata(ISymbol member)
    {
        if (member.Locations.Length == 0 || member.Locations[0].IsInSource)
        {
            return false;
        }

        if (member.Name.IndexOf('<') >= 0)
        {
            return true;
        }

        foreach (AttributeData attribute in member.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "CompilerGeneratedAttribute" })
            {
                return true;
            }
        }

        return false;
    }

    private static string Header(INamedTypeSymbol type, IMethodSymbol? primaryConstructor, Walker walker)
    {
        var builder = new StringBuilder(AccessibilityKeyword(type));
        switch (type.TypeKind)
        {
            case TypeKind.Enum:
                builder.Append("enum ");
                break;
            case TypeKind.Interface:
                builder.Append("interface ");
                break;
            case TypeKind.Struct:
                if (type.IsReadOnly)
                {
                    builder.Append("readonly ");
                }

                if (type.IsRefLikeType)
                {
                    builder.Append("ref ");
                }

                builder.Append(type.IsRecord ? "record struct " : "struct ");
                break;
            default:
                if (type.IsStatic)
                {
                    builder.Append("static ");
                }
                else if (type.IsAbstract)
                {
                    builder.Append("abstract ");
                }
                else if (type.IsSealed)
                {
                    builder.Append("sealed ");
                }

                builder.Append(type.IsRecord ? "record " : "class ");
                break;
        }

        builder.Append(type.ToDisplayString(s_typeName));

        if (primaryConstructor is not null)
        {
            walker.VisitSignature(primaryConstructor);
            builder.Append('(').Append(Parameters(primaryConstructor.Parameters)).Append(')');
        }

        var bases = new List<string>();
        if (type.TypeKind == TypeKind.Enum)
        {
            if (type.EnumUnderlyingType is { SpecialType: not SpecialType.System_Int32 } underlying)
            {
                bases.Add(underlying.ToDisplayString(s_typeName));
            }
        }
        else
        {
            if (type.TypeKind == TypeKind.Class && type.BaseType is { SpecialType: not SpecialType.System_Object } baseType)
            {
                walker.Visit(baseType);
                bases.Add(baseType.ToDisplayString(s_typeName));
            }

            foreach (INamedTypeSymbol implemented in type.Interfaces)
            {
                // Records implement IEquatable<Self> by construction; listing it says nothing.
                if (type.IsRecord && IsEquatableOfSelf(type, implemented))
                {
                    continue;
                }

                walker.Visit(implemented);
                bases.Add(implemented.ToDisplayString(s_typeName));
            }
        }

        if (bases.Count != 0)
        {
            builder.Append(" : ").Append(string.Join(", ", bases));
        }

        return builder.ToString();
    }

    private static bool IsEquatableOfSelf(INamedTypeSymbol type, INamedTypeSymbol implemented)
        => implemented.Name == "IEquatable"
            && implemented.TypeArguments.Length == 1
            && SymbolEqualityComparer.Default.Equals(implemented.TypeArguments[0], type);

    private static string? MemberLine(
        INamedTypeSymbol type,
        ISymbol member,
        IMethodSymbol? primaryConstructor,
        Walker walker,
        CancellationToken cancellationToken)
    {
        if (member.IsImplicitlyDeclared || IsCompilerGeneratedInMetadata(member))
        {
            return null;
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return member is IFieldSymbol { HasConstantValue: true } enumMember
                ? enumMember.Name + " = " + Convert.ToString(enumMember.ConstantValue, CultureInfo.InvariantCulture) + ","
                : null;
        }

        if (!IsAccessible(member.DeclaredAccessibility))
        {
            return null;
        }

        switch (member)
        {
            case IFieldSymbol field when field.CanBeReferencedByName && field.AssociatedSymbol is null:
                walker.Visit(field.Type);
                return field.ToDisplayString(s_member) + ";";

            case IPropertySymbol property:
                if (IsPositionalProperty(property, primaryConstructor, cancellationToken))
                {
                    return null;
                }

                walker.Visit(property.Type);
                foreach (IParameterSymbol parameter in property.Parameters)
                {
                    walker.Visit(parameter.Type);
                }

                return property.ToDisplayString(s_member) + Accessors(property);

            case IEventSymbol @event:
                walker.Visit(@event.Type);
                return @event.ToDisplayString(s_member) + ";";

            case IMethodSymbol method:
                if (SymbolEqualityComparer.Default.Equals(method, primaryConstructor))
                {
                    return null;
                }

                if (method.MethodKind is MethodKind.Ordinary or MethodKind.UserDefinedOperator or MethodKind.Conversion
                    || (method.MethodKind == MethodKind.Constructor && !method.IsStatic))
                {
                    walker.VisitSignature(method);
                    return method.ToDisplayString(s_member) + ";";
                }

                return null;

            default:
                // Nested types are declared on their own when something reaches them.
                return null;
        }
    }

    private static string Accessors(IPropertySymbol property)
    {
        var builder = new StringBuilder(" {");
        if (property.GetMethod is { } getter && IsAccessible(getter.DeclaredAccessibility))
        {
            builder.Append(" get;");
        }

        if (property.SetMethod is { } setter && IsAccessible(setter.DeclaredAccessibility))
        {
            builder.Append(setter.IsInitOnly ? " init;" : " set;");
        }

        return builder.Append(" }").ToString();
    }

    /// <summary>The properties of a positional record already show in its header.</summary>
    private static bool IsPositionalProperty(IPropertySymbol property, IMethodSymbol? primaryConstructor, CancellationToken cancellationToken)
    {
        if (primaryConstructor is null || !property.ContainingType.IsRecord)
        {
            return false;
        }

        foreach (SyntaxReference reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is ParameterSyntax)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The constructor declared in the type's header (<c>record Person(string Name)</c>); only source tells,
    /// since metadata does not mark it.
    /// </summary>
    private static IMethodSymbol? PrimaryConstructor(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            foreach (SyntaxReference reference in constructor.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax)
                {
                    return constructor;
                }
            }
        }

        return null;
    }

    private static string Parameters(IEnumerable<IParameterSymbol> parameters)
    {
        var parts = new List<string>();
        foreach (IParameterSymbol parameter in parameters)
        {
            parts.Add(parameter.ToDisplayString(s_parameter));
        }

        return string.Join(", ", parts);
    }

    private static void AppendSummary(StringBuilder builder, string summary, string indent)
    {
        if (summary.Length != 0)
        {
            builder.Append(indent).Append("/// ").Append(summary).Append('\n');
        }
    }

    private static string AccessibilityKeyword(INamedTypeSymbol type) => type.DeclaredAccessibility switch
    {
        Accessibility.Public => "public ",
        Accessibility.ProtectedOrInternal => "protected internal ",
        _ => "internal ",
    };

    private static bool IsAccessible(Accessibility accessibility)
        => accessibility is Accessibility.Public
            or Accessibility.Internal
            or Accessibility.ProtectedOrInternal;

    /// <summary>Finds the own types a type mentions, remembering which ones are already queued.</summary>
    private sealed class Walker
    {
        private readonly HashSet<INamedTypeSymbol> _seen = new(SymbolEqualityComparer.Default);

        public Queue<INamedTypeSymbol> Pending { get; } = new();

        public void Visit(ITypeSymbol? type)
        {
            switch (type)
            {
                case IArrayTypeSymbol array:
                    Visit(array.ElementType);
                    break;
                case IPointerTypeSymbol pointer:
                    Visit(pointer.PointedAtType);
                    break;
                case INamedTypeSymbol named:
                    INamedTypeSymbol definition = named.OriginalDefinition;
                    if (IsOwnType(definition) && _seen.Add(definition))
                    {
                        Pending.Enqueue(definition);
                    }

                    foreach (ITypeSymbol argument in named.TypeArguments)
                    {
                        Visit(argument);
                    }

                    break;
            }
        }

        public void VisitSignature(IMethodSymbol method)
        {
            Visit(method.ReturnType);
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                Visit(parameter.Type);
            }
        }
    }
}
