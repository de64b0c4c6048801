using System.Collections.Concurrent;
using Holes.Rules;
using Holes.Pipeline.Compile;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Holes.Pipeline.Verify;

/// <summary>What the verifier found: the denials, and where the fill calls nested holes that must run pure.</summary>
/// <param name="Diagnostics">Every denial; the fill is rejected when there is one.</param>
/// <param name="PureAgentCalls">Spans (in the compiled tree) of nested <c>agent&lt;T&gt;</c> calls made from pure code.</param>
internal sealed record VerifyResult(IReadOnlyList<HoleDiagnostic> Diagnostics, IReadOnlyList<TextSpan> PureAgentCalls);

/// <summary>
/// Checks a bound fill against the capability bound: every symbol it references and the type of every expression
/// (explicit or implied by the compiler: conversions, foreach, await, deconstruction), the constructs that are denied
/// outright (<c>extern</c>, <c>unsafe</c>), and the capability rules: authority only by reference, no static state
/// changed in any shape, classified data only through pure transforms and trusted sinks, nested holes within this
/// hole's bound, and no capability kept in the session beyond its hole. Code the engine inserted is not held against
/// the fill.
/// </summary>
/// <remarks>
/// Everything is read from the one operation tree the walk already visits (no further semantic-model queries): the
/// per-operation checks are type tests that cost nothing for operations they do not apply to, verdicts on symbols
/// are cached across fills by <see cref="CapabilityRules"/>, and the purity proof only walks the lambdas handed to
/// <c>Classified&lt;T&gt;</c> transforms.
/// </remarks>
internal sealed class CapabilityVerifier
{
    private static readonly ConcurrentDictionary<ITypeSymbol, bool> s_untrustedEgress = new(SymbolEqualityComparer.Default);
    private static readonly SymbolDisplayFormat s_display = SymbolDisplayFormat.CSharpErrorMessageFormat;

    private readonly SemanticModel _model;
    private readonly FillSource _source;
    private readonly FillRequest _request;
    private readonly CapabilityRules _rules;
    private readonly bool _nestedHolesAllowed;
    private readonly IReadOnlyList<TextSpan> _generated;
    private readonly List<HoleDiagnostic> _diagnostics = [];
    private readonly HashSet<(string, int)> _reported = [];
    private readonly List<StateWrite> _writes = [];
    private readonly List<StateRoot> _roots = [];
    private readonly Dictionary<IMethodSymbol, ILocalFunctionOperation> _localFunctions = new(SymbolEqualityComparer.Default);
    // Lambdas (or local functions, by symbol: they may be declared after their use) to prove pure once the walk is done.
    private readonly List<(IOperation? Region, IMethodSymbol? Function, string Where, Func<ISymbol, bool> IsClassified)> _pureRegions = [];
    private readonly List<(string Name, IOperation? Function, IMethodSymbol? LocalFunction)> _keptFunctions = [];
    private readonly HashSet<string> _variableNames;
    private readonly HashSet<string> _bindingNames;

    private CapabilityVerifier(SemanticModel model, FillSource source, CapabilityRules rules, bool nestedHolesAllowed)
    {
        _model = model;
        _source = source;
        _request = source.Request;
        _rules = rules;
        _nestedHolesAllowed = nestedHolesAllowed;
        _generated = source.Edits.GeneratedSpans().Select(s => new TextSpan(s.Start + source.UserStart, s.Length)).ToList();
        _variableNames = [.. _request.Variables.Select(v => v.Name)];
        _bindingNames = [.. _request.Bindings.Select(b => b.Name)];
    }

    public static IReadOnlyList<HoleDiagnostic> Verify(SemanticModel model, FillSource source, CapabilityRules rules, bool nestedHolesAllowed, CancellationToken cancellationToken) =>
        Check(model, source, rules, nestedHolesAllowed, cancellationToken).Diagnostics;

    public static VerifyResult Check(SemanticModel model, FillSource source, CapabilityRules rules, bool nestedHolesAllowed, CancellationToken cancellationToken)
    {
        var verifier = new CapabilityVerifier(model, source, rules, nestedHolesAllowed);
        var pureCalls = verifier.Run(cancellationToken);
        return new VerifyResult(verifier._diagnostics, pureCalls);
    }

    private HoleBound Bound => _request.Pure ? HoleBound.Pure : _request.Bound ?? HoleBound.Unbounded;

    private IReadOnlyList<TextSpan> Run(CancellationToken cancellationToken)
    {
        // Syntax first: constructs that are denied whatever they bind to.
        var root = _model.SyntaxTree.GetRoot(cancellationToken);
        var userSpan = _source.UserSpan;
        foreach (var node in root.DescendantNodes(userSpan))
        {
            if (userSpan.Contains(node.Span) && !IsGenerated(node.Span))
            {
                CheckSyntax(node);
            }
        }

        // Then the bound fill, as one operation tree: every expression with its type, every symbol it reaches, and
        // what the compiler calls implicitly (conversions, foreach, query clauses, collection initializers).
        if (_model.GetOperation(root.FindNode(userSpan), cancellationToken) is not { } operation)
        {
            return [];
        }

        CheckOperations(operation, cancellationToken);

        // Then what needs the whole fill seen first (local functions may be declared after their use).
        foreach (var (name, lambda, function) in _keptFunctions)
        {
            if ((lambda ?? _localFunctions.GetValueOrDefault(function!.OriginalDefinition)) is { } region)
            {
                CheckCapturedAuthority(name, region);
            }
        }

        if (!_request.Pure && _pureRegions.Count == 0)
        {
            return [];
        }

        var purity = new PurityChecker(_rules, Skip, Referenced, f => _localFunctions.GetValueOrDefault(f), (denial, node) => Report(denial, node));
        if (_request.Pure)
        {
            purity.Check(operation, userSpan, "This pure hole (it runs inside a Classified<T> transform)", IsHandedValue, rebindable: IsHandedValue);
        }

        foreach (var (lambda, function, where, isClassified) in _pureRegions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if ((lambda ?? _localFunctions.GetValueOrDefault(function!.OriginalDefinition)) is { } region)
            {
                purity.Check(region, region.Syntax.Span, where, isClassified);
            }
        }

        return purity.PureAgentCalls;
    }

    /// <summary>In a pure hole, the values handed in hold classified data (declared before the fill's own code).</summary>
    private bool IsHandedValue(ISymbol symbol) =>
        symbol is ILocalSymbol local && _bindingNames.Contains(local.Name) && IsDeclaredBeforeFill(local);

    private bool IsDeclaredBeforeFill(ILocalSymbol local) =>
        local.DeclaringSyntaxReferences is [var reference, ..] && reference.Span.Start < _source.UserStart;

    private void CheckSyntax(SyntaxNode node)
    {
        switch (node)
        {
            case UnsafeStatementSyntax or FixedStatementSyntax or PointerTypeSyntax or FunctionPointerTypeSyntax:
                Report(new Denial(HoleDiagnosticIds.UnsafeCode, "Unsafe code and pointers are not allowed in fills."), node);
                break;
            case LocalFunctionStatementSyntax function when function.Modifiers.Any(SyntaxKind.ExternKeyword) || function.Modifiers.Any(SyntaxKind.UnsafeKeyword):
                Report(new Denial(HoleDiagnosticIds.NativeInterop, $"Local function '{function.Identifier.ValueText}' is extern or unsafe; fills may not declare native or unsafe code."), node);
                break;
            case AttributeSyntax attribute:
                Report(new Denial(HoleDiagnosticIds.NativeInterop, $"Attribute '{attribute.Name}' is not allowed in fills: attributes can change how code is loaded or called."), node);
                break;
            case MakeRefExpressionSyntax or RefTypeExpressionSyntax or RefValueExpressionSyntax:
                Report(new Denial(HoleDiagnosticIds.UnsafeCode, "__makeref, __reftype and __refvalue are not allowed in fills."), node);
                break;
            case InvocationExpressionSyntax invocation when !_nestedHolesAllowed && IsAgentCall(invocation):
                Report(new Denial(HoleDiagnosticIds.NestedHoleAtMaxDepth,
                    "This hole is at the maximum nesting depth (HoleOptions.MaxDepth): it may not call agent<T>. Write the code directly."), node);
                break;
        }
    }

    private bool IsAgentCall(InvocationExpressionSyntax invocation) =>
        _model.GetSymbolInfo(invocation).Symbol is IMethodSymbol { Name: "agent", ContainingType.Name: "Agents" or "NestedHoleCaller" };

    private bool Skip(IOperation operation) =>
        operation.Syntax is not { } syntax || IsGenerated(syntax.Span) || !_source.UserSpan.Contains(syntax.Span);

    private void CheckOperations(IOperation root, CancellationToken cancellationToken)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation.Syntax is { } syntax && (IsGenerated(syntax.Span) || !_source.UserSpan.Contains(syntax.Span)))
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            Report(_rules.CheckType(operation.Type), operation.Syntax);
            foreach (var symbol in Referenced(operation))
            {
                var denial = _rules.CheckSymbol(symbol);
                Report(denial is not null && StructureRules.Lifts(denial, operation) ? null : denial, operation.Syntax);
            }

            // The shape of the code: work that would outlive the fill, stack traces formatted as text, regex timeouts.
            Report(StructureRules.Check(operation), operation.Syntax);

            if (operation is IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicObjectCreationOperation or IDynamicIndexerAccessOperation)
            {
                Report(new Denial(HoleDiagnosticIds.Dynamic, "Dynamic dispatch is not allowed in fills. Use a static type."), operation.Syntax);
            }

            if (operation is IAnonymousFunctionOperation { Symbol: var lambda } && lambda.GetAttributes().Length > 0)
            {
                Report(new Denial(HoleDiagnosticIds.NativeInterop, "Attributes on lambdas are not allowed in fills."), operation.Syntax);
            }

            CheckStaticWrites(operation);

            switch (operation)
            {
                case IInvocationOperation invocation:
                    CheckInvocation(invocation);
                    break;
                case ILocalFunctionOperation function:
                    _localFunctions[function.Symbol.OriginalDefinition] = function;
                    break;
                case IVariableDeclaratorOperation declarator:
                    CheckDeclaration(declarator);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    CheckDeconstruction(deconstruction);
                    break;
                case IAssignmentOperation assignment:
                    CheckAssignment(assignment);
                    break;
                case IWithOperation { Type: { } cloned } when _rules.AuthorityReason(cloned) is { } why:
                    Report(new Denial(HoleDiagnosticIds.AuthorityConstructed,
                        $"'{cloned.ToDisplayString(s_display)}' is authority ({why}); a 'with' expression would create another one, and fills get authority only by reference. Use the instance you were handed."),
                        operation.Syntax);
                    break;
            }
        }
    }

    /// <summary>
    /// The symbols an operation reaches beyond its own type: the member it calls or reads, the operator or conversion
    /// method behind it, and the types it names without producing a value of them (declarations, signatures, patterns).
    /// </summary>
    private IEnumerable<ISymbol?> Referenced(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                foreach (var reached in TypeArgumentMembers.WithCalled(invocation.TargetMethod))
                {
                    yield return reached;
                }

                break;
            case IMethodReferenceOperation { Method: var referenced }:
                foreach (var reached in TypeArgumentMembers.WithCalled(referenced))
                {
                    yield return reached;
                }

                break;
            case IObjectCreationOperation creation:
                foreach (var reached in TypeArgumentMembers.WithCalled(creation.Constructor))
                {
                    yield return reached;
                }

                break;
            case IMemberReferenceOperation member:
                yield return member.Member;
                break;
            case IConversionOperation conversion:
                yield return conversion.OperatorMethod;
                break;
            case IBinaryOperation binary:
                yield return binary.OperatorMethod;
                break;
            case IUnaryOperation unary:
                yield return unary.OperatorMethod;
                break;
            case IIncrementOrDecrementOperation increment:
                yield return increment.OperatorMethod;
                break;
            case ICompoundAssignmentOperation compound:
                yield return compound.OperatorMethod;
                break;
            case ITypeOfOperation typeOf:
                yield return typeOf.TypeOperand;
                break;
            case ISizeOfOperation sizeOf:
                yield return sizeOf.TypeOperand;
                break;
            case IIsTypeOperation isType:
                yield return isType.TypeOperand;
                break;
            case IWithOperation with:
                yield return with.CloneMethod;
                break;
            case ICollectionExpressionOperation collection:
                yield return collection.ConstructMethod;
                break;
            case IImplicitIndexerReferenceOperation indexer:
                yield return indexer.LengthSymbol;
                yield return indexer.IndexerSymbol;
                break;
            case IVariableDeclaratorOperation declarator:
                yield return declarator.Symbol;
                break;
            case ICatchClauseOperation catchClause:
                yield return catchClause.ExceptionType;
                break;
            case IPatternOperation pattern:
                yield return pattern.NarrowedType;
                if (pattern is IRecursivePatternOperation recursive)
                {
                    yield return recursive.DeconstructSymbol;
                }

                break;
            case IAnonymousFunctionOperation { Symbol: var function }:
                foreach (var symbol in Signature(function))
                {
                    yield return symbol;
                }

                break;
            case ILocalFunctionOperation { Symbol: var function }:
                foreach (var symbol in Signature(function))
                {
                    yield return symbol;
                }

                break;
            case IForEachLoopOperation { Syntax: CommonForEachStatementSyntax forEach }:
                var info = _model.GetForEachStatementInfo(forEach);
                yield return info.GetEnumeratorMethod;
                yield return info.MoveNextMethod;
                yield return info.CurrentProperty;
                break;
        }
    }

    /// <summary>The types a lambda or local function names in its signature: parameters, constraints, return type.</summary>
    private static IEnumerable<ISymbol> Signature(IMethodSymbol function) =>
        function.Parameters.Cast<ISymbol>()
            .Concat(function.TypeParameters.SelectMany(t => t.ConstraintTypes))
            .Append(function.ReturnType);

    /// <summary>
    /// Static state may not change in any shape: HOLE1012 when the static member itself is written (assignment,
    /// compound assignment, ++/--, ref/out argument, writable ref local or return, address-of, event subscription),
    /// HOLE032 when state reached through one changes (a collection mutator or setter on a static collection, an
    /// element of a static array, a field or non-readonly method of a struct stored in a static field).
    /// </summary>
    private void CheckStaticWrites(IOperation operation)
    {
        _writes.Clear();
        StateWrites.Collect(operation, _rules.Immutability, _writes);
        foreach (var write in _writes)
        {
            _roots.Clear();
            StateWrites.Roots(write.Target, _roots);
            foreach (var root in _roots)
            {
                if (root.Root is not IMemberReferenceOperation { Member: var member } || member is IFieldSymbol { IsConst: true })
                {
                    continue;
                }

                var display = member.ToDisplayString(s_display);
                if (!write.IsCall && root.IsTargetItself)
                {
                    Report(new Denial(HoleDiagnosticIds.StaticWrite,
                        $"The code {write.Shape} static member '{display}', which is state shared by the whole program; fills may not change static state. " +
                        "Keep state in local variables (top-level variables persist in the session)."), operation.Syntax);
                }
                else if (root.ThroughReference || write.IsCall && write.Target.Type is { IsValueType: false } || member is IFieldSymbol { IsReadOnly: false })
                {
                    // A struct reached only through a static property or readonly field is a copy: changing it changes nothing shared.
                    var what = root.IsTargetItself
                        ? $"static member '{display}', which is"
                        : $"'{Text(write.Target)}', which is reached through static member '{display}' and so is";
                    Report(new Denial(HoleDiagnosticIds.StaticStateWrite,
                        $"The code {write.Shape} {what} state shared by the whole program; fills may not change static state. " +
                        "Work on a copy in a local variable (for example new List<T>(...) or .ToArray()) instead."), operation.Syntax);
                }
            }
        }
    }

    private void CheckInvocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;

        // new T() inside a generic method: an authority type argument for a new()-constrained parameter is a construction.
        for (var i = 0; i < method.TypeParameters.Length && i < method.TypeArguments.Length; i++)
        {
            if (method.TypeParameters[i].HasConstructorConstraint && _rules.AuthorityReason(method.TypeArguments[i]) is { } why)
            {
                Report(new Denial(HoleDiagnosticIds.AuthorityConstructed,
                    $"'{method.TypeArguments[i].ToDisplayString(s_display)}' is authority ({why}); '{method.Name}' may create one through its new() constraint, and fills get authority only by reference."),
                    invocation.Syntax);
            }
        }

        if (method.Name is "Map" or "FlatMap" or "MapAsync" && IsClassifiedType(method.ContainingType))
        {
            ScheduleTransform(invocation);
        }

        CheckEgress(method, invocation.Arguments, invocation.Syntax);

        if (PurityChecker.IsAgent(method, out _))
        {
            CheckNestedHole(invocation);
        }
    }

    private void ScheduleTransform(IInvocationOperation invocation)
    {
        var name = invocation.TargetMethod.Name;
        var where = $"The transform handed to {name}";
        foreach (var argument in invocation.Arguments)
        {
            var value = StateWrites.Unconverted(argument.Value);
            switch (value)
            {
                case IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }:
                    _pureRegions.Add((lambda, null, where, s => s is IParameterSymbol p && SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, lambda.Symbol)));
                    break;
                case IAnonymousFunctionOperation bare:
                    _pureRegions.Add((bare, null, where, s => s is IParameterSymbol p && SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, bare.Symbol)));
                    break;
                case IDelegateCreationOperation { Target: IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction, Method: var function } }:
                    _pureRegions.Add((null, function, where, s => s is IParameterSymbol));
                    break;
                case IDelegateCreationOperation { Target: IMethodReferenceOperation { Method.IsStatic: true } reference }:
                    // A static method: judged like any call made in the transform.
                    Report(_rules.CheckPure(reference.Method, where), argument.Syntax);
                    break;
                default:
                    Report(new Denial(HoleDiagnosticIds.ImpureTransform,
                        $"{where} must be written as a lambda in the call (or be a local function or a static method), so it can be proven pure: " +
                        $"'{Text(argument.Value)}' is a delegate whose code the verifier cannot see. Write it inline: {name}(x => ...)."), argument.Syntax);
                    break;
            }
        }
    }

    /// <summary>Classified data may not reach an egress that is not a trusted sink (HOLE041).</summary>
    private void CheckEgress(IMethodSymbol method, IEnumerable<IArgumentOperation> arguments, SyntaxNode syntax)
    {
        foreach (var argument in arguments)
        {
            // Runs for every argument of every call: a name test first, so nothing is allocated for ordinary code.
            if (!MayHoldClassified(argument.Value))
            {
                continue;
            }

            foreach (var value in Values(argument))
            {
                if (CapabilityFacts.IsClassified(value.Type) && CapabilityFacts.IsEgress(method) && !CapabilityFacts.IsTrustedSink(method))
                {
                    Report(ClassifiedToEgress(method, value), syntax);
                }
            }
        }
    }

    /// <summary>Whether a value, or an element of a params array, may be of a type built from <c>Classified&lt;T&gt;</c>.</summary>
    private static bool MayHoldClassified(IOperation value)
    {
        if (value is IArrayCreationOperation { Initializer: { } initializer })
        {
            foreach (var element in initializer.ElementValues)
            {
                if (MayHoldClassified(StateWrites.Unconverted(element)))
                {
                    return true;
                }
            }

            return false;
        }

        return MayBeClassified(StateWrites.Unconverted(value).Type);
    }

    private static bool MayBeClassified(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol array => MayBeClassified(array.ElementType),
        INamedTypeSymbol { IsGenericType: true } named => named is { Name: "Classified", Arity: 1 } || named.TypeArguments.Any(MayBeClassified),
        _ => false,
    };

    private static Denial ClassifiedToEgress(ISymbol member, IOperation value) => new(HoleDiagnosticIds.ClassifiedToEgress,
        $"'{member.ToDisplayString(s_display)}' sends data out of the program ([Egress]) and is not a [TrustedSink], so it may not be handed classified data " +
        $"('{Text(value)}' is a {value.Type!.ToDisplayString(s_display)}). Send it through a member marked [TrustedSink], or send only data not derived from it.");

    /// <summary>
    /// A nested hole may be handed only capabilities within this hole's bound (HOLE013, HOLE014 when the bound is
    /// empty), and never classified data together with a capability that can send data out (HOLE015).
    /// </summary>
    private void CheckNestedHole(IInvocationOperation invocation)
    {
        var values = invocation.Arguments.Where(a => a.Parameter?.Name == "values").SelectMany(Values).ToList();
        var bound = Bound;
        IOperation? classified = null;
        IOperation? egress = null;
        foreach (var value in values)
        {
            var type = value.Type;
            if (CapabilityFacts.IsClassified(type))
            {
                classified ??= value;
            }

            if (_rules.AuthorityIn(type) is not { } authority)
            {
                continue;
            }

            if (HasUntrustedEgress(authority))
            {
                egress ??= value;
            }

            if (bound.Fits(authority))
            {
                continue;
            }

            var what = $"'{Text(value)}', a {authority.ToDisplayString(s_display)}";
            Report(bound.IsPure
                ? new Denial(HoleDiagnosticIds.CapabilityUnderPureHoles,
                    $"This hole is pure ({bound.Describe()}), so a nested hole may be handed no capability, but this one is handed {what}. Hand it only data.")
                : new Denial(HoleDiagnosticIds.CapabilityOutsideBound,
                    $"This nested hole is handed {what}, outside this hole's capability bound ({bound.Describe()}); a nested hole never gets more authority than its parent may hand out. " +
                    "Do that part in this fill, or hand the nested hole only data."),
                value.Syntax);
        }

        if (classified is not null && egress is not null)
        {
            Report(new Denial(HoleDiagnosticIds.ClassifiedWithEgress,
                $"This nested hole is handed classified data ('{Text(classified)}') together with '{Text(egress)}', a capability that can send data out ([Egress] that is not a [TrustedSink]). " +
                "Hand them to separate holes, or transform the classified data with Map/MapAsync first and keep it classified."),
                invocation.Syntax);
        }
    }

    /// <summary>The values an argument hands over: each element of a <c>params</c> array, before its conversion to <c>object</c>.</summary>
    private static IEnumerable<IOperation> Values(IArgumentOperation argument)
    {
        if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } initializer })
        {
            foreach (var element in initializer.ElementValues)
            {
                yield return StateWrites.Unconverted(element);
            }
        }
        else
        {
            yield return StateWrites.Unconverted(argument.Value);
        }
    }

    private static bool HasUntrustedEgress(ITypeSymbol type) => s_untrustedEgress.GetOrAdd(type.OriginalDefinition, static t =>
    {
        IEnumerable<ISymbol> members = t.GetMembers();
        foreach (var implemented in t.AllInterfaces)
        {
            members = members.Concat(implemented.GetMembers());
        }

        return members.Any(m => m is IMethodSymbol or IPropertySymbol && CapabilityFacts.IsEgress(m) && !CapabilityFacts.IsTrustedSink(m));
    });

    private static bool IsClassifiedType(INamedTypeSymbol? type) =>
        type is not null && CapabilityFacts.IsMetadataName(type.OriginalDefinition, CapabilityFacts.ClassifiedType);

    /// <summary>A top-level declaration is committed to the session when the fill completes (HOLE033 if it keeps authority).</summary>
    private void CheckDeclaration(IVariableDeclaratorOperation declarator)
    {
        if (declarator.Initializer is not { } initializer || !IsCommitted(declarator.Syntax))
        {
            return;
        }

        var name = declarator.Symbol.Name;
        CheckKept(name, declarator.Symbol.Type, declarator.Syntax);
        var value = StateWrites.Unconverted(initializer.Value);
        CheckKept(name, value.Type, declarator.Syntax);
        CheckKeptDelegate(name, value);
    }

    private void CheckDeconstruction(IDeconstructionAssignmentOperation deconstruction)
    {
        if (deconstruction.Syntax.Parent is ExpressionStatementSyntax statement && IsTopLevel(statement))
        {
            foreach (var target in deconstruction.Target.DescendantsAndSelf())
            {
                if (target is ILocalReferenceOperation { IsDeclaration: true } local)
                {
                    CheckKept(local.Local.Name, local.Local.Type, local.Syntax);
                }
            }
        }
    }

    private void CheckAssignment(IAssignmentOperation assignment)
    {
        // Writing a session variable commits the value as well.
        if (StateWrites.Unconverted(assignment.Target) is ILocalReferenceOperation { Local: var local } && _variableNames.Contains(local.Name) && IsDeclaredBeforeFill(local))
        {
            var value = StateWrites.Unconverted(assignment.Value);
            CheckKept(local.Name, value.Type, assignment.Syntax);
            CheckKeptDelegate(local.Name, value);
        }

        // Setting an egress property sends the value out.
        if (assignment.Target is IPropertyReferenceOperation { Property: var property } && MayHoldClassified(assignment.Value) &&
            CapabilityFacts.IsClassified(StateWrites.Unconverted(assignment.Value).Type) &&
            CapabilityFacts.IsEgress(property) && !CapabilityFacts.IsTrustedSink(property))
        {
            Report(ClassifiedToEgress(property, StateWrites.Unconverted(assignment.Value)), assignment.Syntax);
        }
    }

    private void CheckKept(string name, ITypeSymbol? type, SyntaxNode syntax)
    {
        if (_request.Pure || _rules.AuthorityIn(type) is not { } authority || IsGranted(authority))
        {
            return;
        }

        Report(new Denial(HoleDiagnosticIds.CapabilityEscapes,
            $"'{name}' would keep '{authority.ToDisplayString(s_display)}' ({_rules.AuthorityReason(authority)}) in the session after this hole ends, and a capability handed to a hole must not outlive it. " +
            "Use it within this fill without keeping it in a top-level or session variable (declare it inside a block), or have the program grant it to the session with AgentSession.Grant."),
            syntax);
    }

    /// <summary>A lambda or local function kept in the session would keep what it captures.</summary>
    private void CheckKeptDelegate(string name, IOperation value)
    {
        if (_request.Pure)
        {
            return;
        }

        switch (value)
        {
            case IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }:
                _keptFunctions.Add((name, lambda, null));
                break;
            case IAnonymousFunctionOperation lambda:
                _keptFunctions.Add((name, lambda, null));
                break;
            case IDelegateCreationOperation { Target: IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction, Method: var function } }:
                _keptFunctions.Add((name, null, function));
                break;
        }
    }

    private void CheckCapturedAuthority(string name, IOperation function)
    {
        var span = function.Syntax.Span;
        foreach (var operation in function.Descendants())
        {
            var symbol = operation switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            var type = symbol switch { ILocalSymbol l => l.Type, IParameterSymbol p => p.Type, _ => null };
            if (symbol is null || Skip(operation) || symbol.DeclaringSyntaxReferences is [var reference, ..] && span.Contains(reference.Span) ||
                _rules.AuthorityIn(type) is not { } authority || IsGranted(authority))
            {
                continue;
            }

            Report(new Denial(HoleDiagnosticIds.CapabilityEscapes,
                $"'{name}' would keep a function that captures '{symbol.Name}', a {authority.ToDisplayString(s_display)}, in the session after this hole ends, and a capability handed to a hole must not outlive it. " +
                "Do the work inside this fill, or have the program grant the capability to the session with AgentSession.Grant."),
                operation.Syntax);
            return;
        }
    }

    /// <summary>Whether the session itself holds authority of this type: it is, or is related to, a type granted with AgentSession.Grant.</summary>
    private bool IsGranted(ITypeSymbol authority)
    {
        if (_request.Granted is not { Count: > 0 } granted)
        {
            return false;
        }

        var names = HoleBound.Supertypes(authority);
        var own = authority is INamedTypeSymbol named ? TypeImmutability.FullName(named.OriginalDefinition) : authority.Name;
        return granted.Any(g => names.Contains(g.Name) || g.Supertypes.Contains(own));
    }

    private bool IsCommitted(SyntaxNode declarator) =>
        declarator is VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax statement } } &&
        !statement.IsConst && IsTopLevel(statement);

    /// <summary>A statement directly in the fill's body: its variables are committed to the session.</summary>
    private static bool IsTopLevel(StatementSyntax statement) =>
        statement.Parent is BlockSyntax { Parent: MethodDeclarationSyntax { Identifier.ValueText: "__Body" } };

    private static string Text(IOperation operation)
    {
        var text = operation.Syntax.ToString();
        return text.Length <= 60 ? text : text[..57] + "...";
    }

    private bool IsGenerated(TextSpan span)
    {
        foreach (var generated in _generated)
        {
            if (generated.Contains(span))
            {
                return true;
            }
        }

        return false;
    }

    private void Report(Denial? denial, SyntaxNode? node)
    {
        if (denial is null || node is null)
        {
            return;
        }

        var (line, column) = _source.ToOriginalLineColumn(node.SpanStart);
        if (_reported.Add((denial.Id + denial.Message, line)))
        {
            _diagnostics.Add(new HoleDiagnostic(denial.Id, HoleDiagnosticSeverity.Error, denial.Message, line, column));
        }
    }
}
