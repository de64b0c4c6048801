using System;
using System.Collections.Generic;
using System.Threading;
using Holes.Rules;
using Holes.Scope;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Holes.Generators;

/// <summary>Turns syntax and symbols into specs; nothing downstream touches Roslyn objects.</summary>
internal static class Parser
{
    /// <summary>
    /// Cheap syntactic filter run on every node of every edit: a call whose callee is spelled
    /// <c>agent&lt;X&gt;</c>, bare or qualified. Binding decides later whether it really is Holes'.
    /// </summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken)
    {
        if (node is not InvocationExpressionSyntax invocation)
        {
            return false;
        }

        SimpleNameSyntax? name = CalleeName(invocation);
        return name is GenericNameSyntax { TypeArgumentList.Arguments.Count: 1 } generic
            && generic.Identifier.ValueText == KnownNames.AgentMethod;
    }

    /// <summary>The spec for one call, or <see langword="null"/> when it is not a hole or cannot be intercepted.</summary>
    public static HoleSiteSpec? ParseSite(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        SemanticModel model = context.SemanticModel;

        // The interceptor class is file-local, which needs C# 11.
        if (invocation.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp11 })
        {
            return null;
        }

        if (model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
            || !IsAgentOverload(operation.TargetMethod, out bool hasCancellationToken))
        {
            return null;
        }

        // The interceptor forwards the array it receives; when the caller built that array itself (or named it),
        // there are no per-value expressions to name, and the runtime describes the site from the array instead.
        foreach (ArgumentSyntax argument in invocation.ArgumentList.Arguments)
        {
            if (argument.NameColon?.Name.Identifier.ValueText == KnownNames.ValuesParameter)
            {
                return null;
            }
        }

        IReadOnlyList<IOperation>? values = ExpandedValues(operation, out bool wrapsTypedArray);
        if (values is null)
        {
            return null;
        }

        InterceptableLocation? location = model.GetInterceptableLocation(invocation, cancellationToken);
        SimpleNameSyntax? callee = CalleeName(invocation);
        if (location is null || callee is null)
        {
            return null;
        }

        ITypeSymbol resultType = operation.TargetMethod.TypeArguments[0];
        var describedTypes = new List<ITypeSymbol> { resultType };

        // In a generic method the result type or a value's type may be a type parameter (or built from one): the site
        // spells it open and names the parameters, and the engine substitutes the types they have at run time.
        var typeParameters = new List<string>();
        string resultTypeName = TypeNames.FullyQualifiedOpen(resultType, typeParameters) ?? TypeNames.FullyQualified(resultType);
        var expressions = new List<ExpressionSyntax>();
        var types = new List<string>();
        foreach (IOperation element in values)
        {
            // The array is object?[], so every element is boxed; the static type the fill needs is the one before.
            IOperation value = element is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : element;
            if (element.Syntax is not ExpressionSyntax expression)
            {
                return null;
            }

            ITypeSymbol? type = WithFlowState(value.Type, model.GetTypeInfo(expression, cancellationToken));

            // 'T?' of an unconstrained type parameter only says the value may be default; substituted with a value
            // type at run time it would read as Nullable<T>, which it is not.
            if (type is ITypeParameterSymbol { HasValueTypeConstraint: false, NullableAnnotation: NullableAnnotation.Annotated } parameter)
            {
                type = parameter.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
            }

            expressions.Add(expression);
            types.Add(TypeNames.FullyQualifiedOpen(type, typeParameters) ?? TypeNames.FullyQualified(type));
            if (type is not null)
            {
                describedTypes.Add(type);
            }
        }

        IReadOnlyList<string> names = ArgumentNames.FromArguments(expressions);
        var parameters = new List<HoleParameterSpec>(names.Count);
        for (int i = 0; i < names.Count; i++)
        {
            parameters.Add(new HoleParameterSpec(names[i], types[i], Normalize(expressions[i].ToString())));
        }

        FileLinePositionSpan position = callee.GetLocation().GetLineSpan();
        return new HoleSiteSpec(
            FilePath: invocation.SyntaxTree.FilePath,
            Line: position.StartLinePosition.Line + 1,
            Column: position.StartLinePosition.Character + 1,
            MemberName: EnclosingSource.MemberName(invocation, model, cancellationToken),
            ResultType: resultTypeName,
            HasCancellationToken: hasCancellationToken,
            Parameters: new EquatableArray<HoleParameterSpec>(parameters),
            Usings: new EquatableArray<string>(Usings.InScope(invocation, model, cancellationToken)),
            TypeDeclarations: new EquatableArray<string>(
                TypeDescriber.Describe(describedTypes, TypeDescriber.DefaultMaxTypes, cancellationToken)),
            EnclosingSource: EnclosingSource.Marked(invocation, cancellationToken),
            Intercept: new InterceptSpec(location.Version, location.Data),
            WrapsTypedArray: wrapsTypedArray,
            CapabilityBound: CapabilityBound(model.GetEnclosingSymbol(invocation.SpanStart, cancellationToken)),
            TypeParameters: new EquatableArray<string>(typeParameters),
            Model: ModelAt(model.GetEnclosingSymbol(invocation.SpanStart, cancellationToken)));
    }

    /// <summary>
    /// The hole bound in force at the call (<c>[HoleBound]</c> or <c>[PureHoles]</c> on the enclosing lambda, local
    /// function, member or type), as reflection-style type names; <see langword="null"/> when unbounded.
    /// </summary>
    private static EquatableArray<string>? CapabilityBound(ISymbol? enclosing)
    {
        if (CapabilityFacts.BoundAt(enclosing) is not { } bound)
        {
            return null;
        }

        var names = new List<string>(bound.Length);
        foreach (ITypeSymbol type in bound)
        {
            names.Add(ReflectionName(type));
        }

        return new EquatableArray<string>(names);
    }

    /// <summary>A type's name as <see cref="Type.FullName"/> spells its definition: <c>Ns.Outer+Inner</c>, <c>Ns.Box`1</c>.</summary>
    internal static string ReflectionName(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return type.ToDisplayString();
        }

        named = named.OriginalDefinition;
        string name = named.MetadataName;
        for (INamedTypeSymbol? outer = named.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
            named = outer;
        }

        return named.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }

    /// <summary>
    /// The key of the nearest <c>[HoleModel]</c> on the symbol enclosing the call or one containing it (a local
    /// function or lambda, its method, the method's types); <see langword="null"/> when there is none.
    /// </summary>
    private static string? ModelAt(ISymbol? symbol)
    {
        for (ISymbol? s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            foreach (AttributeData attribute in s.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == KnownNames.HoleModelAttribute
                    && attribute.ConstructorArguments.Length == 1
                    && attribute.ConstructorArguments[0].Value is string key)
                {
                    return key;
                }
            }

            // An accessor's containing symbol is the type: the property in between may carry the attribute.
            if (s is IMethodSymbol { AssociatedSymbol: IPropertySymbol property } && ModelAt(property) is { } onProperty)
            {
                return onProperty;
            }
        }

        return null;
    }

    /// <summary>Global usings apply to every site, so they are resolved once per directive, not once per site.</summary>
    public static bool IsGlobalUsing(SyntaxNode node, CancellationToken cancellationToken)
        => node is UsingDirectiveSyntax directive && !directive.GlobalKeyword.IsKind(SyntaxKind.None);

    public static string? ParseGlobalUsing(GeneratorSyntaxContext context, CancellationToken cancellationToken)
        => Usings.Describe((UsingDirectiveSyntax)context.Node, context.SemanticModel, cancellationToken);

    /// <summary>Whether the compilation references the Holes runtime (and is not the runtime itself).</summary>
    public static bool ReferencesHoles(Compilation compilation)
    {
        INamedTypeSymbol? agents = compilation.GetTypeByMetadataName(KnownNames.AgentsType);
        return agents is not null
            && agents.ContainingAssembly.Name == KnownNames.HolesAssembly
            && !SymbolEqualityComparer.Default.Equals(agents.ContainingAssembly, compilation.Assembly);
    }

    public static CompilationSpec ParseCompilation(Compilation compilation, CancellationToken cancellationToken)
    {
        if (!ReferencesHoles(compilation))
        {
            return new CompilationSpec(ReferencesHoles: false, NeedsFillAccess: false);
        }

        // A strong-named assembly may only grant access to strong-named friends (CS1726), and fills are not signed.
        CompilationOptions options = compilation.Options;
        bool strongNamed = options.CryptoKeyFile is not null
            || options.CryptoKeyContainer is not null
            || !options.CryptoPublicKey.IsDefaultOrEmpty;

        return new CompilationSpec(
            ReferencesHoles: true,
            NeedsFillAccess: !strongNamed && !GrantsFillAccess(compilation.Assembly, cancellationToken));
    }

    private static bool GrantsFillAccess(IAssemblySymbol assembly, CancellationToken cancellationToken)
    {
        foreach (AttributeData attribute in assembly.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attribute.AttributeClass?.ToDisplayString() == "System.Runtime.CompilerServices.InternalsVisibleToAttribute"
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is string friend)
            {
                int comma = friend.IndexOf(',');
                string name = (comma >= 0 ? friend.Substring(0, comma) : friend).Trim();
                if (string.Equals(name, KnownNames.FillAssembly, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static SimpleNameSyntax? CalleeName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        SimpleNameSyntax simple => simple,
        MemberAccessExpressionSyntax memberAccess => memberAccess.Name,
        _ => null,
    };

    /// <summary>
    /// Only the two overloads the emitter knows how to mirror: an interceptor whose signature differs from the
    /// target is a compile error in the user's project, so anything unexpected is left alone.
    /// </summary>
    private static bool IsAgentOverload(IMethodSymbol method, out bool hasCancellationToken)
    {
        hasCancellationToken = false;
        IMethodSymbol definition = method.OriginalDefinition;
        if (definition.Name != KnownNames.AgentMethod
            || definition.TypeParameters.Length != 1
            || !definition.IsStatic
            || definition.ContainingAssembly?.Name != KnownNames.HolesAssembly
            || definition.ContainingType?.ToDisplayString() != KnownNames.AgentsType)
        {
            return false;
        }

        var parameters = definition.Parameters;
        if (parameters.Length is not (2 or 3)
            || parameters[0].Type.SpecialType != SpecialType.System_String
            || parameters[parameters.Length - 1] is not { IsParams: true, Type: IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Object } })
        {
            return false;
        }

        if (parameters.Length == 3)
        {
            if (parameters[1].Type.ToDisplayString() != KnownNames.CancellationTokenType)
            {
                return false;
            }

            hasCancellationToken = true;
        }

        return true;
    }

    /// <summary>The compiler-built array of a call in expanded form, or <see langword="null"/> when the caller passed an array.</summary>
    /// <remarks>
    /// A single array of a type other than <c>object[]</c> (say <c>string[] topics</c>) converts to <c>object?[]</c> by
    /// array covariance, so C# passes it in normal form; the developer meant one value, and the interceptor wraps it.
    /// </remarks>
    private static IReadOnlyList<IOperation>? ExpandedValues(IInvocationOperation operation, out bool wrapsTypedArray)
    {
        wrapsTypedArray = false;
        foreach (IArgumentOperation argument in operation.Arguments)
        {
            if (argument.Parameter is { IsParams: true })
            {
                IOperation passed = argument.Value is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : argument.Value;
                if (argument.ArgumentKind == ArgumentKind.Explicit
                    && passed.Type is IArrayTypeSymbol { ElementType.SpecialType: not SpecialType.System_Object }
                    && passed is not IArrayCreationOperation)
                {
                    wrapsTypedArray = true;
                    return new[] { passed };
                }

                if (argument.ArgumentKind != ArgumentKind.ParamArray || argument.Value is not IArrayCreationOperation array)
                {
                    return null;
                }

                return array.Initializer is { } initializer ? initializer.ElementValues : Array.Empty<IOperation>();
            }
        }

        return null;
    }

    /// <summary>
    /// A <c>var</c> local of reference type is declared nullable whatever it holds; what the value is known to be
    /// at the call (the flow state) is the type worth handing on.
    /// </summary>
    private static ITypeSymbol? WithFlowState(ITypeSymbol? type, TypeInfo info)
    {
        if (type is null || !type.IsReferenceType)
        {
            return type;
        }

        return info.Nullability.FlowState switch
        {
            NullableFlowState.NotNull => type.WithNullableAnnotation(NullableAnnotation.NotAnnotated),
            NullableFlowState.MaybeNull => type.WithNullableAnnotation(NullableAnnotation.Annotated),
            _ => type,
        };
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');
}
