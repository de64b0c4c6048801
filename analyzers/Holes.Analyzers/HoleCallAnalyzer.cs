using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Holes.Rules;
using Holes.Scope;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Holes.Analyzers;

/// <summary>
/// Checks every <c>agent&lt;T&gt;(task, values...)</c> call: a result type a fill can produce (HOLE010), values with
/// names of their own (HOLE011, HOLE012), capabilities within the hole bound (HOLE013, HOLE014), classified data kept
/// apart from untrusted egresses (HOLE015), a task that names only what it is handed (HOLE017), no hole inside an
/// expression tree (HOLE018), and interceptors switched on (HOLE019).
/// </summary>
/// <remarks>
/// Calls are found as syntax (an invocation of a name spelled <c>agent</c>) and only those are bound. An operation
/// action would have the analyzer driver build the operation tree of every body in the program, binding each one a
/// second time, in a program with no holes as much as in one with many.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HoleCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.UnusableResultType,
        Descriptors.UnnamedValue,
        Descriptors.DuplicateValueName,
        Descriptors.CapabilityOutsideBound,
        Descriptors.CapabilityUnderPureHoles,
        Descriptors.ClassifiedWithEgress,
        Descriptors.TaskNamesUnhandedVariable,
        Descriptors.HoleInExpressionTree,
        Descriptors.InterceptorsDisabled);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Most compilations never reference Holes: they pay for one type lookup and nothing else.
            if (HolesSymbols.TryCreate(start.Compilation) is not { } symbols)
            {
                return;
            }

            // Nor do compilations whose sources never spell the name: no action is called for their invocations.
            if (!SourceMentions.MayName(start.Compilation, HolesSymbols.AgentMethod, start.CancellationToken))
            {
                return;
            }

            InterceptorsSetting interceptors = InterceptorsSetting.Read(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions);
            start.RegisterSyntaxNodeAction(c => AnalyzeCall(c, symbols, interceptors), SyntaxKind.InvocationExpression);
        });
    }

    private static void AnalyzeCall(SyntaxNodeAnalysisContext context, HolesSymbols symbols, InterceptorsSetting interceptors)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (CalleeName(invocation)?.Identifier.ValueText != HolesSymbols.AgentMethod)
        {
            return;
        }

        switch (context.SemanticModel.GetOperation(invocation, context.CancellationToken))
        {
            case IInvocationOperation operation:
                AnalyzeInvocation(context, operation, symbols, interceptors);
                break;
            case IInvalidOperation operation:
                AnalyzeInvalid(context, operation, invocation, symbols);
                break;
        }
    }

    private static void AnalyzeInvocation(SyntaxNodeAnalysisContext context, IInvocationOperation operation, HolesSymbols symbols, InterceptorsSetting interceptors)
    {
        if (HoleCall.From(operation, symbols) is not { } call)
        {
            return;
        }

        if (!interceptors.IsEnabled(call.Syntax.SyntaxTree))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.InterceptorsDisabled, call.NameLocation, interceptors.Describe()));
        }

        if (ResultTypeRule.Reason(call.ResultType, context.Compilation) is { } reason)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.UnusableResultType, TypeArgumentLocation(call.Syntax) ?? call.NameLocation, Display.Type(call.ResultType), reason));
        }

        CheckExpressionTree(context, call, symbols);
        if (call.Values is { } values)
        {
            CheckNames(context, values);
            CheckBound(context, call, values);
            CheckTask(context, call, values);
        }
    }

    /// <summary>
    /// <c>agent&lt;void&gt;</c>, <c>agent&lt;int*&gt;</c> and <c>agent&lt;Span&lt;int&gt;&gt;</c> do not bind (CS0306, CS9244);
    /// HOLE010 says why such a hole cannot exist and what to ask for instead.
    /// </summary>
    private static void AnalyzeInvalid(SyntaxNodeAnalysisContext context, IInvalidOperation operation, InvocationExpressionSyntax invocation, HolesSymbols symbols)
    {
        if (CalleeName(invocation) is not GenericNameSyntax { TypeArgumentList.Arguments.Count: 1 } generic
            || generic.Identifier.ValueText != HolesSymbols.AgentMethod
            || operation.SemanticModel is not { } model)
        {
            return;
        }

        bool isAgent = false;
        foreach (ISymbol candidate in model.GetSymbolInfo(invocation, context.CancellationToken).CandidateSymbols)
        {
            isAgent |= candidate is IMethodSymbol method && symbols.IsAgent(method, out _);
        }

        TypeSyntax argument = generic.TypeArgumentList.Arguments[0];
        ITypeSymbol? type = model.GetTypeInfo(argument, context.CancellationToken).Type;
        if (isAgent && type is { SpecialType: SpecialType.System_Void } or IPointerTypeSymbol or IFunctionPointerTypeSymbol or { IsRefLikeType: true }
            && ResultTypeRule.Reason(type, context.Compilation) is { } reason)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnusableResultType, argument.GetLocation(), Display.Type(type), reason));
        }
    }

    /// <summary>HOLE018: the call sits in a lambda that the compiler turns into an expression tree.</summary>
    private static void CheckExpressionTree(SyntaxNodeAnalysisContext context, HoleCall call, HolesSymbols symbols)
    {
        for (IOperation? node = call.Operation.Parent; node is not null; node = node.Parent)
        {
            if (node is IAnonymousFunctionOperation { Parent: IConversionOperation or IDelegateCreationOperation } lambda
                && lambda.Parent!.Type is { } converted
                && symbols.IsExpressionTree(converted))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.HoleInExpressionTree, call.NameLocation, Display.Type(converted)));
                return;
            }
        }
    }

    /// <summary>HOLE011 for values without a name of their own, HOLE012 for values whose names collide.</summary>
    private static void CheckNames(SyntaxNodeAnalysisContext context, IReadOnlyList<HoleValue> values)
    {
        var expressions = new List<ExpressionSyntax>(values.Count);
        foreach (HoleValue value in values)
        {
            expressions.Add(value.Expression);
        }

        IReadOnlyList<string> names = ArgumentNames.FromArguments(expressions);
        var firstWithName = new Dictionary<string, int>(System.StringComparer.Ordinal);
        for (int i = 0; i < expressions.Count; i++)
        {
            ExpressionSyntax expression = expressions[i];
            if (IsUnnamed(expression))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.UnnamedValue, expression.GetLocation(), Display.Expression(expression), names[i]));
                continue;
            }

            string name = ArgumentNames.FromExpression(expression, i);
            if (firstWithName.TryGetValue(name, out int first))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.DuplicateValueName,
                    expression.GetLocation(),
                    Display.Expression(expressions[first]),
                    Display.Expression(expression),
                    name,
                    names[first],
                    names[i]));
            }
            else
            {
                firstWithName.Add(name, i);
            }
        }
    }

    /// <summary>
    /// No identifier to borrow (a literal, an operator, a lambda, <c>this</c>, an element access): the fill sees a
    /// placeholder. A call is named after its method (<c>ToList</c>), which says what was done, not what the value is.
    /// </summary>
    private static bool IsUnnamed(ExpressionSyntax expression)
    {
        // The fallback name of a negative index is no identifier, so only an expression without one gets it.
        if (ArgumentNames.FromExpression(expression, -1) == ArgumentNames.Fallback(-1))
        {
            return true;
        }

        while (true)
        {
            switch (expression)
            {
                case InvocationExpressionSyntax:
                    return true;
                case ConditionalAccessExpressionSyntax conditional:
                    expression = conditional.WhenNotNull;
                    continue;
                case ParenthesizedExpressionSyntax parenthesized:
                    expression = parenthesized.Expression;
                    continue;
                case CastExpressionSyntax cast:
                    expression = cast.Expression;
                    continue;
                case AwaitExpressionSyntax awaitExpression:
                    expression = awaitExpression.Expression;
                    continue;
                case PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                    expression = postfix.Operand;
                    continue;
                default:
                    return false;
            }
        }
    }

    /// <summary>HOLE013 and HOLE014: capabilities against the enclosing bound; HOLE015: classified data beside an egress.</summary>
    private static void CheckBound(SyntaxNodeAnalysisContext context, HoleCall call, IReadOnlyList<HoleValue> values)
    {
        if (call.Operation.SemanticModel is not { } model)
        {
            return;
        }

        ISymbol? enclosing = model.GetEnclosingSymbol(call.Syntax.SpanStart, context.CancellationToken);
        ImmutableArray<ITypeSymbol>? bound = CapabilityFacts.BoundAt(enclosing);
        ISymbol? bearer = bound is null ? null : CapabilityFacts.BoundBearer(enclosing);

        var classified = new List<HoleValue>();
        foreach (HoleValue value in values)
        {
            if (CapabilityFacts.IsClassified(value.Type))
            {
                classified.Add(value);
            }
        }

        (HoleValue Value, ISymbol Egress)? egress = null;
        foreach (HoleValue value in values)
        {
            foreach (ITypeSymbol capability in CapabilityTypes.Carried(value.Type))
            {
                if (bound is { } allowed && bearer is not null)
                {
                    ReportOutsideBound(context, value, capability, allowed, bearer);
                }

                if (egress is null && classified.Count > 0 && CapabilityTypes.UntrustedEgress(capability) is { } untrusted)
                {
                    egress = (value, untrusted);
                }
            }
        }

        if (egress is { } open)
        {
            foreach (HoleValue value in classified)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.ClassifiedWithEgress,
                    value.Expression.GetLocation(),
                    new[] { open.Value.Expression.GetLocation() },
                    Display.Expression(value.Expression),
                    Display.Expression(open.Value.Expression),
                    Display.Symbol(open.Egress)));
            }
        }
    }

    private static void ReportOutsideBound(
        SyntaxNodeAnalysisContext context, HoleValue value, ITypeSymbol capability, ImmutableArray<ITypeSymbol> bound, ISymbol bearer)
    {
        string type = Display.Type(capability);
        if (bound.IsEmpty)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.CapabilityUnderPureHoles,
                value.Expression.GetLocation(),
                Display.Expression(value.Expression),
                type,
                Display.Symbol(bearer),
                type));
        }
        else if (!CapabilityFacts.FitsBound(capability, bound))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.CapabilityOutsideBound,
                value.Expression.GetLocation(),
                Display.Expression(value.Expression),
                type,
                Display.Bound(bound),
                Display.Symbol(bearer),
                type));
        }
    }

    /// <summary>HOLE017: a word of the task is a local or parameter in scope that the call does not hand in.</summary>
    private static void CheckTask(SyntaxNodeAnalysisContext context, HoleCall call, IReadOnlyList<HoleValue> values)
    {
        List<TaskWord> words = TaskWords.Find(call.Task?.Syntax);
        if (words.Count == 0 || call.Operation.SemanticModel is not { } model || HandsInNamedArray(call.Syntax))
        {
            return;
        }

        var handed = new HashSet<string>(System.StringComparer.Ordinal);
        var expressions = new List<ExpressionSyntax>(values.Count);
        foreach (HoleValue value in values)
        {
            expressions.Add(value.Expression);
        }

        foreach (string name in ArgumentNames.FromArguments(expressions))
        {
            handed.Add(name.TrimStart('@'));
        }

        foreach (IArgumentOperation argument in call.Operation.Arguments)
        {
            // The cancellation token is handed to the hole too, if not as a value.
            if (argument.Value is ILocalReferenceOperation local)
            {
                handed.Add(local.Local.Name);
            }
            else if (argument.Value is IParameterReferenceOperation parameter)
            {
                handed.Add(parameter.Parameter.Name);
            }
        }

        Dictionary<string, ISymbol>? inScope = null;
        var reported = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (TaskWord word in words)
        {
            if (handed.Contains(word.Text) || reported.Contains(word.Text))
            {
                continue;
            }

            inScope ??= VariablesInScope(model, call.Syntax, context.CancellationToken);
            if (inScope.ContainsKey(word.Text))
            {
                reported.Add(word.Text);
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.TaskNamesUnhandedVariable,
                    word.Location,
                    ImmutableDictionary<string, string?>.Empty.Add(Descriptors.NameProperty, word.Text),
                    word.Text));
            }
        }
    }

    /// <summary>The caller passed <c>values: array</c>: there is no list of values to add one to.</summary>
    private static bool HandsInNamedArray(InvocationExpressionSyntax invocation)
    {
        foreach (ArgumentSyntax argument in invocation.ArgumentList.Arguments)
        {
            if (argument.NameColon?.Name.Identifier.ValueText == HolesSymbols.ValuesParameter)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Locals and parameters the call could hand in: in scope at the call, declared before it and not by it (the
    /// <c>primes</c> of <c>var primes = await agent&lt;...&gt;("... primes ...")</c> does not exist yet), and boxable.
    /// </summary>
    private static Dictionary<string, ISymbol> VariablesInScope(SemanticModel model, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, ISymbol>(System.StringComparer.Ordinal);
        foreach (ISymbol symbol in model.LookupSymbols(call.SpanStart))
        {
            cancellationToken.ThrowIfCancellationRequested();
            ITypeSymbol? type;
            switch (symbol)
            {
                case ILocalSymbol local:
                    if (!DeclaredBefore(local, call, cancellationToken))
                    {
                        continue;
                    }

                    type = local.Type;
                    break;
                case IParameterSymbol parameter:
                    type = parameter.Type;
                    break;
                default:
                    continue;
            }

            if (type is null or { IsRefLikeType: true } or IPointerTypeSymbol or IFunctionPointerTypeSymbol || symbol.Name is "" or "_")
            {
                continue;
            }

            if (!variables.ContainsKey(symbol.Name))
            {
                variables.Add(symbol.Name, symbol);
            }
        }

        return variables;
    }

    private static bool DeclaredBefore(ILocalSymbol local, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        if (local.Locations.Length == 0 || !local.Locations[0].IsInSource || local.Locations[0].SourceSpan.End > call.SpanStart)
        {
            return false;
        }

        foreach (SyntaxReference reference in local.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is VariableDeclaratorSyntax declarator && declarator.Span.Contains(call.Span))
            {
                return false;
            }
        }

        return true;
    }

    private static Location? TypeArgumentLocation(InvocationExpressionSyntax invocation)
        => CalleeName(invocation) is GenericNameSyntax { TypeArgumentList.Arguments: { Count: 1 } arguments } ? arguments[0].GetLocation() : null;

    private static SimpleNameSyntax? CalleeName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        SimpleNameSyntax simple => simple,
        MemberAccessExpressionSyntax memberAccess => memberAccess.Name,
        _ => null,
    };
}
