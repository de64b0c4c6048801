using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Holes.Rules;

/// <summary>
/// Proves code that sees classified data pure, so the data cannot leave it except as its result: a lambda handed to
/// <c>Classified&lt;T&gt;.Map</c>, <c>FlatMap</c> or <c>MapAsync</c>, or the whole fill of a hole nested in one.
/// Pure code uses no authority and no policy grant, reaches no recorded effect, changes nothing declared outside
/// itself (captured variables, the objects they hold, the session's variables), calls no delegate it did not
/// declare, and hands no text built from the data to a nested hole's task. Static writes are denied everywhere and are
/// reported by the verifier's own walk.
/// </summary>
/// <remarks>
/// A local function declared outside and called from pure code is checked as pure too, as are the nested holes it
/// contains. Every nested <c>agent&lt;T&gt;</c> call reached this way is collected in <see cref="PureAgentCalls"/>: the
/// engine makes those holes pure (empty bound, same rules, no commits).
/// </remarks>
internal sealed class PurityChecker
{
    private readonly CapabilityRules _rules;
    private readonly Func<IOperation, bool> _skip;
    private readonly Func<IOperation, IEnumerable<ISymbol?>> _referenced;
    private readonly Func<IMethodSymbol, IOperation?> _localFunction;
    private readonly Action<Denial, SyntaxNode> _report;
    private Func<ISymbol, bool> _rebindable = static _ => false;
    private readonly HashSet<IMethodSymbol> _checkedFunctions = new(SymbolEqualityComparer.Default);
    private readonly List<StateWrite> _writes = new();
    private readonly List<StateRoot> _roots = new();

    /// <param name="rules">The session's rules.</param>
    /// <param name="skip">Operations the engine inserted, which are not held against the code.</param>
    /// <param name="referenced">The symbols an operation reaches beyond its own type (the verifier's enumeration).</param>
    /// <param name="localFunction">The body of a local function of the fill, by its symbol.</param>
    /// <param name="report">Receives each denial and where it applies.</param>
    public PurityChecker(
        CapabilityRules rules,
        Func<IOperation, bool> skip,
        Func<IOperation, IEnumerable<ISymbol?>> referenced,
        Func<IMethodSymbol, IOperation?> localFunction,
        Action<Denial, SyntaxNode> report)
    {
        _rules = rules;
        _skip = skip;
        _referenced = referenced;
        _localFunction = localFunction;
        _report = report;
    }

    /// <summary>Syntax spans of the nested <c>agent&lt;T&gt;</c> calls found in pure code.</summary>
    public List<TextSpan> PureAgentCalls { get; } = new();

    /// <summary>Checks one pure region.</summary>
    /// <param name="region">The lambda, or the fill's root operation.</param>
    /// <param name="span">What counts as inside: variables declared elsewhere are captured.</param>
    /// <param name="where">The subject of messages: "The transform handed to Map", "This pure hole".</param>
    /// <param name="isClassified">Whether a variable holds the classified data itself (the lambda's parameter, a pure hole's values).</param>
    /// <param name="rebindable">
    /// Variables declared outside that the code may still assign (not change the object they hold): a pure hole's
    /// handed-in values are its own locals, so <c>text = text.Trim();</c> changes nothing outside it.
    /// </param>
    public void Check(IOperation region, TextSpan span, string where, Func<ISymbol, bool> isClassified, Func<ISymbol, bool>? rebindable = null)
    {
        var previous = _rebindable;
        _rebindable = rebindable ?? (static _ => false);
        try
        {
            CheckRegion(region, span, where, isClassified);
        }
        finally
        {
            _rebindable = previous;
        }
    }

    private void CheckRegion(IOperation region, TextSpan span, string where, Func<ISymbol, bool> isClassified)
    {
        HashSet<ISymbol>? tainted = null;
        foreach (var operation in region.DescendantsAndSelf())
        {
            if (_skip(operation))
            {
                continue;
            }

            var syntax = operation.Syntax;
            Report(_rules.CheckPure(operation.Type, where), syntax);
            foreach (var symbol in _referenced(operation))
            {
                Report(_rules.CheckPure(symbol, where), syntax);
            }

            CheckWrites(operation, span, where);

            switch (operation)
            {
                case IInvocationOperation invocation:
                    CheckCall(invocation, span, where);
                    if (IsAgent(invocation.TargetMethod, out var nested))
                    {
                        if (!nested)
                        {
                            Report(new Denial(HoleDiagnosticIds.ImpureTransform,
                                $"{where} calls Holes.Agents.agent<T> directly (qualified, or in a static lambda), so the nested hole could not be made pure. " +
                                "Call agent<T>(...) unqualified, in a lambda that is not static."), syntax);
                        }
                        else
                        {
                            PureAgentCalls.Add(syntax.Span);
                            tainted ??= Taint(region, span, isClassified);
                            CheckTask(invocation, tainted, where);
                        }
                    }

                    break;
                case IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference when !Inside(reference.Method, span):
                    CheckFunction(reference.Method, where);
                    break;
                case IObjectCreationOperation { Type: { } created } when DerivesFrom(created, "System", "OperationCanceledException"):
                    Report(new Denial(HoleDiagnosticIds.ImpureTransform,
                        $"{where} creates a '{created.Name}': cancellation passes through MapAsync unchanged, so its message would carry data out. " +
                        "Throw another exception (the transform's exceptions are replaced by a ClassifiedException) or return a value."), syntax);
                    break;
            }
        }
    }

    private void CheckWrites(IOperation operation, TextSpan span, string where)
    {
        _writes.Clear();
        StateWrites.Collect(operation, _rules.Immutability, _writes);
        foreach (var write in _writes)
        {
            if (write.IsCall && _rules.AuthorityIn(write.Target.Type) is not null)
            {
                // Calling a capability is reported as the use of authority; it is not also a change of a variable.
                continue;
            }

            _roots.Clear();
            StateWrites.Roots(write.Target, _roots);
            foreach (var root in _roots)
            {
                if (root.Root is ILocalReferenceOperation or IParameterReferenceOperation && !_skip(root.Root) && root.Symbol is { } variable && !Inside(variable, span) &&
                    !(root.IsTargetItself && !write.IsCall && _rebindable(variable)))
                {
                    var hint = write.IsCall
                        ? " (A call counts as a change unless the type is immutable or the method is readonly or [Pure].)"
                        : "";
                    Report(new Denial(HoleDiagnosticIds.ImpureTransform,
                        $"{where} {write.Shape} '{variable.Name}', which is declared outside it. A pure transform may change nothing outside itself " +
                        "(that is how classified data would leak out). Build what you need inside the transform and return it." + hint), operation.Syntax);
                }
            }
        }
    }

    private void CheckCall(IInvocationOperation invocation, TextSpan span, string where)
    {
        var method = invocation.TargetMethod;
        if (method.MethodKind == MethodKind.DelegateInvoke)
        {
            _roots.Clear();
            if (invocation.Instance is { } target)
            {
                StateWrites.Roots(target, _roots);
            }

            var declaredInside = _roots.Count > 0;
            foreach (var root in _roots)
            {
                declaredInside &= root.Root is ILocalReferenceOperation && root.IsTargetItself && root.Symbol is { } local && Inside(local, span);
            }

            if (!declaredInside)
            {
                Report(new Denial(HoleDiagnosticIds.ImpureTransform,
                    $"{where} calls a delegate declared outside it, whose code cannot be checked. Write the code inside the transform, or call a local function."), invocation.Syntax);
            }
        }
        else if (method.MethodKind == MethodKind.LocalFunction && !Inside(method, span))
        {
            CheckFunction(method, where);
        }
    }

    private void CheckFunction(IMethodSymbol function, string where)
    {
        function = function.OriginalDefinition;
        if (!_checkedFunctions.Add(function))
        {
            return;
        }

        if (_localFunction(function) is not { } body)
        {
            return;
        }

        var inner = $"{where} calls local function '{function.Name}', which";
        Check(body, body.Syntax.Span, inner, symbol => symbol is IParameterSymbol);
    }

    private void CheckTask(IInvocationOperation invocation, HashSet<ISymbol> tainted, string where)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name != "task")
            {
                continue;
            }

            foreach (var part in argument.Value.DescendantsAndSelf())
            {
                var symbol = part switch
                {
                    ILocalReferenceOperation local => (ISymbol)local.Local,
                    IParameterReferenceOperation parameter => parameter.Parameter,
                    _ => null,
                };
                if (symbol is not null && tainted.Contains(symbol))
                {
                    Report(new Denial(HoleDiagnosticIds.ClassifiedInTask,
                        $"The task of this nested hole is built from '{symbol.Name}', which holds classified data, and a task's text travels into prompts, errors and logs. " +
                        $"Keep the task text fixed and hand the value in instead: agent<T>(\"summarise the text\", {symbol.Name})."), argument.Syntax);
                    return;
                }
            }
        }
    }

    /// <summary>
    /// The variables of a region that hold classified data or values computed from it: the sources, every parameter
    /// of a lambda or local function inside, and every variable assigned from an expression that mentions one.
    /// </summary>
    private static HashSet<ISymbol> Taint(IOperation region, TextSpan span, Func<ISymbol, bool> isClassified)
    {
        var tainted = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        bool Mentions(IOperation? operation)
        {
            if (operation is null)
            {
                return false;
            }

            foreach (var part in operation.DescendantsAndSelf())
            {
                ISymbol? symbol = part switch
                {
                    ILocalReferenceOperation local => local.Local,
                    IParameterReferenceOperation parameter => parameter.Parameter,
                    _ => null,
                };
                if (symbol is not null && (tainted.Contains(symbol) || isClassified(symbol)))
                {
                    return true;
                }
            }

            return false;
        }

        for (var pass = 0; pass < 4; pass++)
        {
            var before = tainted.Count;
            foreach (var operation in region.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IAnonymousFunctionOperation lambda:
                        tainted.UnionWith(lambda.Symbol.Parameters);
                        break;
                    case ILocalFunctionOperation function:
                        tainted.UnionWith(function.Symbol.Parameters);
                        break;
                    case IVariableDeclaratorOperation { Initializer: { } initializer } declarator when Mentions(initializer.Value):
                        tainted.Add(declarator.Symbol);
                        break;
                    case IAssignmentOperation assignment when Mentions(assignment.Value):
                        foreach (var target in assignment.Target.DescendantsAndSelf())
                        {
                            if (target is ILocalReferenceOperation local && span.Contains(local.Syntax.Span))
                            {
                                tainted.Add(local.Local);
                            }
                        }

                        break;
                    case IForEachLoopOperation loop when Mentions(loop.Collection):
                        tainted.UnionWith(loop.Locals);
                        break;
                    case IInvocationOperation invocation when Mentions(invocation):
                        foreach (var argument in invocation.Arguments)
                        {
                            if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref && argument.Value is ILocalReferenceOperation output)
                            {
                                tainted.Add(output.Local);
                            }
                        }

                        break;
                    case IPatternOperation pattern when pattern is IDeclarationPatternOperation { DeclaredSymbol: { } declared }:
                        tainted.Add(declared);
                        break;
                    case IRecursivePatternOperation { DeclaredSymbol: { } declaredRecursive }:
                        tainted.Add(declaredRecursive);
                        break;
                }
            }

            if (tainted.Count == before)
            {
                break;
            }
        }

        return tainted;
    }

    /// <summary>A call of <c>agent&lt;T&gt;</c>: nested (bound to the fill's caller, so the engine tracks it) or <c>Holes.Agents</c>.</summary>
    internal static bool IsAgent(IMethodSymbol method, out bool nested)
    {
        nested = false;
        if (method.Name != "agent" || method.ContainingType is not { } type)
        {
            return false;
        }

        var ns = type.ContainingNamespace?.ToDisplayString();
        nested = type.Name == "NestedHoleCaller" && ns == "Holes.Runtime";
        return nested || type.Name == "Agents" && ns == "Holes";
    }

    private static bool Inside(ISymbol symbol, TextSpan span)
    {
        var references = symbol.DeclaringSyntaxReferences;
        return references.Length > 0 && span.Contains(references[0].Span);
    }

    private static bool DerivesFrom(ITypeSymbol type, string ns, string name)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.Name == name && t.ContainingNamespace?.ToDisplayString() == ns)
            {
                return true;
            }
        }

        return false;
    }

    private void Report(Denial? denial, SyntaxNode? syntax)
    {
        if (denial is not null && syntax is not null)
        {
            _report(denial, syntax);
        }
    }
}
