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
        var root = _model.SyntaxTree.GetRoot(cancellationToken);
        var userSpan = _source.UserSpan;
        foreach (var node in root.DescendantNodes(userSpan))
        {
            if (!userSpan.Contains(node.Span) || IsGenerated(node.Span))
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            CheckSyntax(node);
            if (node is ExpressionSyntax expression)
            {
                CheckExpression(expression);
            }
            else if (node is VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ForEachStatementSyntax or CatchDeclarationSyntax or ParameterSyntax or LocalFunctionStatementSyntax)
            {
                if (_model.GetDeclaredSymbol(node, cancellationToken) is { } declared)
                {
                    Report(_rules.CheckSymbol(declared), node);
                }
            }

        }

        // One operation tree for the whole fill: it exposes what the compiler calls implicitly.
        if (_model.GetOperation(root.FindNode(userSpan), cancellationToken) is { } operation)
        {
            CheckOperations(operation);
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

    private void CheckExpression(ExpressionSyntax expression)
    {
        var symbolInfo = _model.GetSymbolInfo(expression);
        Report(_rules.CheckSymbol(symbolInfo.Symbol), expression);
        foreach (var candidate in symbolInfo.CandidateSymbols)
        {
            Report(_rules.CheckSymbol(candidate), expression);
        }

        var typeInfo = _model.GetTypeInfo(expression);
        Report(_rules.CheckType(typeInfo.Type), expression);
        if (!SymbolEqualityComparer.Default.Equals(typeInfo.Type, typeInfo.ConvertedType))
        {
            Report(_rules.CheckType(typeInfo.ConvertedType), expression);
        }

        if (_model.GetConversion(expression).MethodSymbol is { } conversion)
        {
            Report(_rules.CheckSymbol(conversion), expression);
        }
    }

    private void CheckOperations(IOperation root)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation.Syntax is { } syntax && (IsGenerated(syntax.Span) || !_source.UserSpan.Contains(syntax.Span)))
            {
                continue;
            }

            Report(_rules.CheckType(operation.Type), operation.Syntax);
            var symbol = operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IObjectCreationOperation creation => creation.Constructor,
                IMemberReferenceOperation member => member.Member,
                IConversionOperation conversion => conversion.OperatorMethod,
                IBinaryOperation binary => binary.OperatorMethod,
                IUnaryOperation unary => unary.OperatorMethod,
                IIncrementOrDecrementOperation increment => increment.OperatorMethod,
                ICompoundAssignmentOperation compound => compound.OperatorMethod,
                ITypeOfOperation typeOf => typeOf.TypeOperand,
                _ => null,
            };
            Report(_rules.CheckSymbol(symbol), operation.Syntax);

            if (operation is IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicObjectCreationOperation or IDynamicIndexerAccessOperation)
            {
                Report(new Denial(HoleDiagnosticIds.Dynamic, "Dynamic dispatch is not allowed in fills. Use a static type."), operation.Syntax);
            }

            if (operation is IForEachLoopOperation { Syntax: CommonForEachStatementSyntax forEach } &&
                _model.GetForEachStatementInfo(forEach) is var info)
            {
                Report(_rules.CheckSymbol(info.GetEnumeratorMethod), forEach);
                Report(_rules.CheckSymbol(info.MoveNextMethod), forEach);
                Report(_rules.CheckSymbol(info.CurrentProperty), forEach);
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
