using System.Collections.Immutable;
using Holes.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Holes.Analyzers;

/// <summary>
/// HOLE020: host code calls <c>Classified&lt;T&gt;.Reveal()</c> (or takes it as a method group) outside a member marked
/// <c>[TrustedSink]</c>. A lambda or local function is judged by its own mark and then by the member it is written in.
/// </summary>
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
            if (HolesSymbols.TryCreate(start.Compilation) is not { Classified: not null } symbols)
            {
                return;
            }

            start.RegisterOperationAction(c => Analyze(c, symbols), OperationKind.Invocation, OperationKind.MethodReference);
        });
    }

    private static void Analyze(OperationAnalysisContext context, HolesSymbols symbols)
    {
        IMethodSymbol? method = context.Operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IMethodReferenceOperation reference => reference.Method,
            _ => null,
        };
        if (method is not { Name: RevealMethod, Parameters.Length: 0 } || !symbols.IsClassifiedType(method.ContainingType)
            || context.Operation.SemanticModel is not { } model)
        {
            return;
        }

        ISymbol? enclosing = model.GetEnclosingSymbol(context.Operation.Syntax.SpanStart, context.CancellationToken);
        ISymbol member = context.ContainingSymbol;
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

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.RevealOutsideTrustedSink,
            context.Operation.Syntax.GetLocation(),
            Display.Symbol(member),
            Display.Type(method.ContainingType.TypeArguments[0])));
    }
}
