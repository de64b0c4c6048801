using Holes.Rules;
using Holes.Pipeline.Compile;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Holes.Pipeline.Verify;

/// <summary>
/// Checks a bound fill against the capability bound: every symbol it references and the type of every expression
/// (explicit or implied by the compiler: conversions, foreach, await, deconstruction), plus the constructs that are
/// denied outright (<c>extern</c>, <c>unsafe</c>, static writes). Code the engine inserted is not held against the fill.
/// </summary>
internal sealed class CapabilityVerifier
{
    private readonly SemanticModel _model;
    private readonly FillSource _source;
    private readonly CapabilityRules _rules;
    private readonly bool _nestedHolesAllowed;
    private readonly IReadOnlyList<TextSpan> _generated;
    private readonly List<HoleDiagnostic> _diagnostics = [];
    private readonly HashSet<(string, int)> _reported = [];

    private CapabilityVerifier(SemanticModel model, FillSource source, CapabilityRules rules, bool nestedHolesAllowed)
    {
        _model = model;
        _source = source;
        _rules = rules;
        _nestedHolesAllowed = nestedHolesAllowed;
        _generated = source.Edits.GeneratedSpans().Select(s => new TextSpan(s.Start + source.UserStart, s.Length)).ToList();
    }

    public static IReadOnlyList<HoleDiagnostic> Verify(SemanticModel model, FillSource source, CapabilityRules rules, bool nestedHolesAllowed, CancellationToken cancellationToken)
    {
        var verifier = new CapabilityVerifier(model, source, rules, nestedHolesAllowed);
        verifier.Run(cancellationToken);
        return verifier._diagnostics;
    }

    private void Run(CancellationToken cancellationToken)
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
        if (_model.GetOperation(root.FindNode(userSpan), cancellationToken) is { } operation)
        {
            CheckOperations(operation, cancellationToken);
        }
    }

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
                Report(_rules.CheckSymbol(symbol), operation.Syntax);
            }

            if (operation is IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicObjectCreationOperation or IDynamicIndexerAccessOperation)
            {
                Report(new Denial(HoleDiagnosticIds.Dynamic, "Dynamic dispatch is not allowed in fills. Use a static type."), operation.Syntax);
            }

            if (operation is IAnonymousFunctionOperation { Symbol: var lambda } && lambda.GetAttributes().Length > 0)
            {
                Report(new Denial(HoleDiagnosticIds.NativeInterop, "Attributes on lambdas are not allowed in fills."), operation.Syntax);
            }

            if (IsStaticWrite(operation, out var written))
            {
                Report(new Denial(HoleDiagnosticIds.StaticWrite,
                    $"Assigning static member '{written.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}' changes global state, which fills may not do. Keep state in local variables (top-level variables persist in the session)."),
                    operation.Syntax);
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
                yield return invocation.TargetMethod;
                break;
            case IObjectCreationOperation creation:
                yield return creation.Constructor;
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

    private static bool IsStaticWrite(IOperation operation, out ISymbol member)
    {
        member = null!;
        if (operation is not IMemberReferenceOperation { Member: { IsStatic: true } m } reference || m is IMethodSymbol)
        {
            return false;
        }

        if (m is IFieldSymbol { IsConst: true })
        {
            return false;
        }

        member = m;
        var parent = reference.Parent;
        return parent switch
        {
            IAssignmentOperation assignment => assignment.Target == reference,
            IIncrementOrDecrementOperation => true,
            IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
            ITupleOperation => reference.Parent?.Parent is IDeconstructionAssignmentOperation,
            IEventAssignmentOperation => true,
            _ => reference is IFieldReferenceOperation && parent is IAddressOfOperation,
        };
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
