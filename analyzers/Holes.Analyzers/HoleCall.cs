using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Holes.Analyzers;

/// <summary>One <c>agent&lt;T&gt;(task, values...)</c> call: its result type, its task and the values it hands in.</summary>
internal sealed class HoleCall
{
    private HoleCall(IInvocationOperation operation, InvocationExpressionSyntax syntax, IOperation? task, IReadOnlyList<HoleValue>? values)
    {
        Operation = operation;
        Syntax = syntax;
        Task = task;
        Values = values;
    }

    public IInvocationOperation Operation { get; }

    public InvocationExpressionSyntax Syntax { get; }

    /// <summary>The type the hole must produce.</summary>
    public ITypeSymbol ResultType => Operation.TargetMethod.TypeArguments[0];

    /// <summary>The task argument, without the compiler's implicit conversions.</summary>
    public IOperation? Task { get; }

    /// <summary>
    /// The values handed in, one per argument expression, or <see langword="null"/> when the caller passed an
    /// <c>object[]</c> of its own (the values then have no expressions to be named after or typed by).
    /// </summary>
    public IReadOnlyList<HoleValue>? Values { get; }

    /// <summary>Where diagnostics about the call as a whole go: the <c>agent&lt;T&gt;</c> name.</summary>
    public Location NameLocation => Syntax.Expression switch
    {
        MemberAccessExpressionSyntax memberAccess => memberAccess.Name.GetLocation(),
        var callee => callee.GetLocation(),
    };

    /// <summary>The call, when <paramref name="operation"/> is a hole; otherwise <see langword="null"/>.</summary>
    public static HoleCall? From(IInvocationOperation operation, HolesSymbols symbols)
    {
        if (operation.Syntax is not InvocationExpressionSyntax syntax
            || !symbols.IsAgent(operation.TargetMethod, out _))
        {
            return null;
        }

        IOperation? task = null;
        IReadOnlyList<HoleValue>? values = null;
        foreach (IArgumentOperation argument in operation.Arguments)
        {
            if (argument.Parameter is null)
            {
                continue;
            }

            if (argument.Parameter.Ordinal == 0)
            {
                task = WithoutImplicitConversion(argument.Value);
            }
            else if (argument.Parameter.IsParams)
            {
                values = Expanded(argument);
            }
        }

        return new HoleCall(operation, syntax, task, values);
    }

    /// <summary>
    /// The elements of the array the compiler built for the params argument. A lone array of another element type
    /// (say <c>string[] topics</c>) converts to <c>object?[]</c> by covariance, but the developer meant one value.
    /// </summary>
    private static IReadOnlyList<HoleValue>? Expanded(IArgumentOperation argument)
    {
        IOperation passed = WithoutImplicitConversion(argument.Value);
        if (argument.ArgumentKind == ArgumentKind.Explicit
            && passed.Type is IArrayTypeSymbol { ElementType.SpecialType: not SpecialType.System_Object }
            && passed is not IArrayCreationOperation
            && passed.Syntax is ExpressionSyntax lone)
        {
            return new[] { new HoleValue(passed, lone) };
        }

        if (argument.ArgumentKind != ArgumentKind.ParamArray || argument.Value is not IArrayCreationOperation array)
        {
            return null;
        }

        if (array.Initializer is not { } initializer)
        {
            return Array.Empty<HoleValue>();
        }

        var values = new List<HoleValue>(initializer.ElementValues.Length);
        foreach (IOperation element in initializer.ElementValues)
        {
            if (element.Syntax is not ExpressionSyntax expression)
            {
                return null;
            }

            // The array is object?[], so every element is boxed; the static type that matters is the one before.
            values.Add(new HoleValue(WithoutImplicitConversion(element), expression));
        }

        return values;
    }

    private static IOperation WithoutImplicitConversion(IOperation operation)
        => operation is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : operation;
}

/// <summary>A value handed to a hole: the operation that produces it (before boxing) and its argument expression.</summary>
internal sealed class HoleValue
{
    public HoleValue(IOperation operation, ExpressionSyntax expression)
    {
        Operation = operation;
        Expression = expression;
    }

    public IOperation Operation { get; }

    public ExpressionSyntax Expression { get; }

    /// <summary>The value's static type, before it is boxed into the <c>object?[]</c>.</summary>
    public ITypeSymbol? Type => Operation.Type;
}
