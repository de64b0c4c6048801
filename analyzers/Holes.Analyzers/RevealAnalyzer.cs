using System.Collections.Immutable;
using Holes.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Holes.Analyzers;

/// <summary>
/// HOLE020: host code calls <c>Classified&lt;T&gt;.Reveal()</c> (or takes it as a method group) outside a member marked
/// <c>[TrustedSink]</c>. A lambda or local function is judged by its own mark and then by the member it is written in.
/// </summary>
/// <remarks>
/// Found as syntax, then bound: every use of <c>Reveal</c> is a member access or a member binding (<c>x?.Reveal()</c>)
/// named <c>Reveal</c> (the type is sealed, so no code of the program names it bare), and only those get an operation.
/// An operation action would have the analyzer driver build the operation tree of every body in the program.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RevealAnalyzer : DiagnosticAnalyzer
{
    private const string RevealMethod = "Reveal";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.RevealOutsideTrustedSink);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // A compilation whose sources never spell Reveal cannot call it: no action is called for its member accesses.
            if (HolesSymbols.TryCreate(start.Compilation) is not { Classified: not null } symbols
                || !SourceMentions.MayName(start.Compilation, RevealMethod, start.CancellationToken))
            {
                return;
            }

            start.RegisterSyntaxNodeAction(c => Analyze(c, symbols), SyntaxKind.SimpleMemberAccessExpression, SyntaxKind.MemberBindingExpression);
        });
    }

    private static void Analyze(SyntaxNodeAnalysisContext context, HolesSymbols symbols)
    {
        SimpleNameSyntax name = context.Node switch
        {
            MemberAccessExpressionSyntax access => access.Name,
            _ => ((MemberBindingExpressionSyntax)context.Node).Name,
        };
        if (name.Identifier.ValueText != RevealMethod)
        {
            return;
        }

        // The call, or the method group the name stands for.
        SyntaxNode used = context.Node.Parent is InvocationExpressionSyntax invocation && invocation.Expression == context.Node ? invocation : context.Node;
        IOperation? operation = context.SemanticModel.GetOperation(used, context.CancellationToken);
        IMethodSymbol? method = operation switch
        {
            IInvocationOperation call => call.TargetMethod,
            IMethodReferenceOperation reference => reference.Method,
            _ => null,
        };
        if (operation is null || method is not { Name: RevealMethod, Parameters.Length: 0 } || !symbols.IsClassifiedType(method.ContainingType)
            || operation.SemanticModel is not { } model)
        {
            return;
        }

        ISymbol? enclosing = model.GetEnclosingSymbol(operation.Syntax.SpanStart, context.CancellationToken);
        ISymbol? member = context.ContainingSymbol;
        for (ISymbol? s = enclosing; s is not null and not ITypeSymbol and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            if (CapabilityFacts.IsTrustedSink(s)
                || (s is IMethodSymbol { AssociatedSymbol: { } associated } && CapabilityFacts.IsTrustedSink(associated)))
            {
                return;
            }

            if (s is not IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
            {
                member = s;
                break;
            }
        }

        if ((member ?? enclosing) is not { } reported)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.RevealOutsideTrustedSink,
            operation.Syntax.GetLocation(),
            Display.Symbol(reported),
            Display.Type(method.ContainingType.TypeArguments[0])));
    }
}
