using Holes.Rules;
using Microsoft.CodeAnalysis;

namespace Holes.Analyzers;

/// <summary>
/// The few symbols the analyzers look for, resolved once per compilation. A compilation that does not reference the
/// Holes assembly gets none, and the analyzers register nothing for it.
/// </summary>
internal sealed class HolesSymbols
{
    public const string HolesAssembly = "Holes";
    public const string AgentsType = "Holes.Agents";
    public const string AgentMethod = "agent";
    public const string ValuesParameter = "values";

    private HolesSymbols(INamedTypeSymbol agents, INamedTypeSymbol? classified, INamedTypeSymbol? expression, INamedTypeSymbol? lambdaExpression)
    {
        Agents = agents;
        Classified = classified;
        Expression = expression;
        LambdaExpression = lambdaExpression;
    }

    /// <summary><c>Holes.Agents</c>, the type that declares <c>agent&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol Agents { get; }

    /// <summary><c>Holes.Classified&lt;T&gt;</c>, when the referenced Holes has it.</summary>
    public INamedTypeSymbol? Classified { get; }

    /// <summary><c>System.Linq.Expressions.Expression&lt;TDelegate&gt;</c>, when referenced.</summary>
    public INamedTypeSymbol? Expression { get; }

    /// <summary><c>System.Linq.Expressions.LambdaExpression</c>, the base of every expression-tree lambda.</summary>
    public INamedTypeSymbol? LambdaExpression { get; }

    /// <summary>The symbols, or <see langword="null"/> when the compilation does not reference Holes (or is Holes itself).</summary>
    public static HolesSymbols? TryCreate(Compilation compilation)
    {
        INamedTypeSymbol? agents = compilation.GetTypeByMetadataName(AgentsType);
        if (agents is null
            || agents.ContainingAssembly?.Name != HolesAssembly
            || SymbolEqualityComparer.Default.Equals(agents.ContainingAssembly, compilation.Assembly))
        {
            return null;
        }

        return new HolesSymbols(
            agents,
            compilation.GetTypeByMetadataName(CapabilityFacts.ClassifiedType),
            compilation.GetTypeByMetadataName("System.Linq.Expressions.Expression`1"),
            compilation.GetTypeByMetadataName("System.Linq.Expressions.LambdaExpression"));
    }

    /// <summary>Whether <paramref name="method"/> is one of the two <c>agent&lt;T&gt;</c> overloads.</summary>
    public bool IsAgent(IMethodSymbol method, out bool hasCancellationToken)
    {
        hasCancellationToken = false;
        IMethodSymbol definition = method.OriginalDefinition;
        if (definition.Name != AgentMethod
            || definition.TypeParameters.Length != 1
            || !definition.IsStatic
            || !SymbolEqualityComparer.Default.Equals(definition.ContainingType, Agents))
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

        hasCancellationToken = parameters.Length == 3;
        return true;
    }

    /// <summary>Whether <paramref name="type"/> is <c>Classified&lt;T&gt;</c> (the type itself, not a type built from it).</summary>
    public bool IsClassifiedType(ITypeSymbol? type)
        => Classified is not null && type is INamedTypeSymbol named
            && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, Classified);

    /// <summary>Whether <paramref name="type"/> is an expression-tree type (<c>Expression&lt;T&gt;</c> or a <c>LambdaExpression</c>).</summary>
    public bool IsExpressionTree(ITypeSymbol? type)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, Expression)
                || SymbolEqualityComparer.Default.Equals(t, LambdaExpression))
            {
                return true;
            }
        }

        return false;
    }
}
