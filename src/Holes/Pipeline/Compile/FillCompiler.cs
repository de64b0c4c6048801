using Holes.Rules;
using Holes.Pipeline.Verify;
using Holes.Runtime;
using Holes.Scope;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Holes.Pipeline.Compile;

/// <summary>
/// Compile and verify: binds a fill against the host's assemblies, rejects it on any compiler error or capability
/// denial, and only then emits it. Nothing here runs fill code.
/// </summary>
internal static class FillCompiler
{
    // weave: false only to measure what the budget checks cost (the benchmark); such an image runs unchecked.
    public static async Task<CompileOutcome> CompileAsync(FillRequest request, CapabilityRules rules, string parentLocation, CancellationToken cancellationToken, bool weave = true)
    {
        if ((CompileBudget.CheckLength(request.Code) ?? BracketDepth.Check(request.Code)) is { } tooLong)
        {
            return new CompileOutcome(null, [tooLong]);
        }

        // Parsing and planning run here (Roslyn's parser and walkers guard their own stacks); binding and emitting run
        // here too for an ordinary fill, and for a deep one on threads with a large stack (a deep tree cannot overflow
        // this process's stack), the caller waiting with a deadline. Either way under the compile-time budget: past it
        // the fill is rejected and the compiler is cancelled.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(CompileBudget.MaxCompileTime);
        var token = budget.Token;
        FillSource source;
        try
        {
            source = FillSource.Create(request);
        }
        catch (InsufficientExecutionStackException)
        {
            return new CompileOutcome(null, [CompileBudget.TooDeepToParse()]);
        }

        if (source.EarlyDiagnostics.Count > 0)
        {
            return new CompileOutcome(null, source.EarlyDiagnostics);
        }

        var (tooDeep, depth, functions) = CompileBudget.CheckNesting(source.Tree.GetRoot(token), source.UserSpan, source.Original, source.Edits.ToOriginal);
        if (tooDeep is not null)
        {
            return new CompileOutcome(null, [tooDeep]);
        }

        try
        {
            return depth <= CompileBudget.ShallowDepth && functions <= CompileBudget.ShallowFunctionNesting
                ? await BindAsync(source, request, rules, parentLocation, weave, largeStack: false, token).ConfigureAwait(false)
                : await CompileBudget.OnLargeStack(() => BindAsync(source, request, rules, parentLocation, weave, largeStack: true, token).GetAwaiter().GetResult(), "Holes compile")
                    .WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new CompileOutcome(null, [CompileBudget.TookTooLong()]);
        }
    }

    /// <summary>
    /// Binds, verifies and emits. With <paramref name="largeStack"/> it runs on a compiler thread of its own, which may
    /// block (it completes synchronously there); otherwise on the caller's thread, the verifier on the pool.
    /// </summary>
    private static async Task<CompileOutcome> BindAsync(
        FillSource source, FillRequest request, CapabilityRules rules, string parentLocation, bool weave, bool largeStack, CancellationToken cancellationToken)
    {
        var compilation = ReferenceSet.Shared.Template.AddSyntaxTrees(source.Tree);
        var model = compilation.GetSemanticModel(source.Tree);

        // Emit binds the fill on its own and reports every compiler error, so the semantic side (the capability check,
        // then what the engine needs to know to commit) runs on another core meanwhile: the fill is bound twice, in
        // parallel. The image is only kept if every check passes; nothing in it is
        // loaded before that.
        var checking = largeStack
            ? CompileBudget.OnLargeStack(() => Check(model, source, rules, request, parentLocation, cancellationToken), "Holes verify")
            : Task.Run(() => Check(model, source, rules, request, parentLocation, cancellationToken), cancellationToken);
        (byte[]? Image, IReadOnlyList<Diagnostic> Errors) emitted;
        try
        {
            emitted = Emit(compilation, cancellationToken);
        }
        catch
        {
            _ = checking.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }

        var (denials, facts) = largeStack
            ? checking.WaitAsync(cancellationToken).GetAwaiter().GetResult()
            : await checking.WaitAsync(cancellationToken).ConfigureAwait(false);

        // Compiler errors are reported together with denials, so one retry can fix both.
        if (emitted.Image is null || facts is null)
        {
            return new CompileOutcome(null, Order(emitted.Errors.Select(e => Map(e, source)).Concat(denials)));
        }

        // Budget checks are woven into the accepted image: every method entry and backward branch (see FillWeaver).
        var woven = FillWeaver.Weave(emitted.Image, checks: weave);
        return new CompileOutcome(new CompiledFill(woven.Image, facts.Declared, facts.Written, facts.Nested, source)
        {
            PureNestedSites = facts.PureNested,
            OffsetMaps = woven.OffsetMaps,
        }, []);
    }

    /// <summary>What the engine learns from the bound fill to run and commit it.</summary>
    private sealed record FillFacts(Dictionary<string, string> Declared, HashSet<int> Written, NestedSite?[] Nested, HashSet<int> PureNested);

    /// <summary>
    /// The capability check, and for a fill that passes it, what the engine needs to know to run and commit it.
    /// </summary>
    private static (IReadOnlyList<HoleDiagnostic> Denials, FillFacts? Facts) Check(
        SemanticModel model, FillSource source, CapabilityRules rules, FillRequest request, string parentLocation, CancellationToken cancellationToken)
    {
        var verified = CapabilityVerifier.Check(model, source, rules, request.NestedHolesAllowed, cancellationToken);
        if (verified.Diagnostics.Count > 0)
        {
            return (verified.Diagnostics, null);
        }

        var statements = UserStatements(source);
        return ([], new FillFacts(DeclaredTypes(model, source, statements), WrittenVariables(model, source, statements, request), NestedSites(model, source, parentLocation),
            PureNestedSites(source, verified.PureAgentCalls)));
    }

    /// <summary>
    /// The nested holes called from pure code (a <c>Classified&lt;T&gt;</c> transform), by index. Found by position
    /// alone, so a pure call is known even where its site could not be described.
    /// </summary>
    private static HashSet<int> PureNestedSites(FillSource source, IReadOnlyList<Microsoft.CodeAnalysis.Text.TextSpan> pureCalls)
    {
        var pure = new HashSet<int>();
        if (pureCalls.Count == 0 || source.Plan is not { NestedSites.Count: > 0 } plan)
        {
            return pure;
        }

        foreach (var nested in plan.NestedSites)
        {
            var position = source.UserStart + source.Edits.ToEdited(nested.NamePosition);
            if (pureCalls.Any(span => span.Contains(position)))
            {
                pure.Add(nested.Index);
            }
        }

        return pure;
    }

    private static HoleDiagnostic Map(Diagnostic diagnostic, FillSource source) => diagnostic.Id == "CS0161"
        ? new HoleDiagnostic(HoleDiagnosticIds.MissingReturn, HoleDiagnosticSeverity.Error,
            $"Not every path through the code returns a value: end it with 'return <value>;' where the value is a {Short(source.Request.ResultType)}.",
            source.Original.Lines.Count, 1)
        : source.Map(diagnostic);

    private static (byte[]? Image, IReadOnlyList<Diagnostic> Errors) Emit(Compilation compilation, CancellationToken cancellationToken)
    {
        using var image = new MemoryStream();
        var result = compilation.Emit(image, cancellationToken: cancellationToken);
        return result.Success ? (image.ToArray(), []) : (null, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList());
    }

    private static IReadOnlyList<HoleDiagnostic> Order(IEnumerable<HoleDiagnostic> diagnostics) =>
        diagnostics.Distinct().OrderBy(d => d.Line).ThenBy(d => d.Column).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();

    /// <summary>The fill's own top-level statements (the declarations the engine puts before them are excluded).</summary>
    private static List<StatementSyntax> UserStatements(FillSource source)
    {
        var root = source.Tree.GetRoot();
        var body = root.DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.ValueText == "__Body").Body!;
        return body.Statements.Where(s => source.UserSpan.Contains(s.Span)).ToList();
    }

    private static Dictionary<string, string> DeclaredTypes(SemanticModel model, FillSource source, List<StatementSyntax> statements)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var wanted = source.Plan?.TopLevelDeclared;
        if (wanted is null || wanted.Count == 0)
        {
            return result;
        }

        foreach (var statement in statements)
        {
            IEnumerable<SyntaxNode> declarators = statement switch
            {
                LocalDeclarationStatementSyntax local => local.Declaration.Variables,
                ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: DeclarationExpressionSyntax d } } =>
                    d.Designation.DescendantNodesAndSelf().OfType<SingleVariableDesignationSyntax>(),
                _ => [],
            };
            foreach (var declarator in declarators)
            {
                if (model.GetDeclaredSymbol(declarator) is ILocalSymbol local && wanted.Contains(local.Name))
                {
                    result[local.Name] = CSharpName(local.Type);
                }
            }
        }

        return result;
    }

    private static HashSet<int> WrittenVariables(SemanticModel model, FillSource source, List<StatementSyntax> statements, FillRequest request)
    {
        var written = new HashSet<int>();
        if (request.Variables.Count == 0 || statements.Count == 0)
        {
            return written;
        }

        var flow = model.AnalyzeDataFlow(statements[0], statements[^1]);
        if (flow is null || !flow.Succeeded)
        {
            return written;
        }

        // Session variables are the locals declared before the fill's own code.
        var names = flow.WrittenInside.Where(s => s is ILocalSymbol local && local.Locations[0].SourceSpan.Start < source.UserStart).Select(s => s.Name).ToHashSet();
        for (var i = 0; i < request.Variables.Count; i++)
        {
            if (names.Contains(request.Variables[i].Name))
            {
                written.Add(i);
            }
        }

        return written;
    }

    private static NestedSite?[] NestedSites(SemanticModel model, FillSource source, string parentLocation)
    {
        if (source.Plan is not { NestedSites.Count: > 0 } plan)
        {
            return [];
        }

        var sites = new NestedSite?[plan.NestedSites.Count];

        var root = source.Tree.GetRoot();
        foreach (var nested in plan.NestedSites)
        {
            var position = source.UserStart + source.Edits.ToEdited(nested.NamePosition);
            var name = root.FindToken(position).Parent?.AncestorsAndSelf().OfType<GenericNameSyntax>().FirstOrDefault();
            if (name?.Parent?.Parent is not InvocationExpressionSyntax invocation)
            {
                continue;
            }

            var resultType = model.GetTypeInfo(name.TypeArgumentList.Arguments[0]).Type;
            var arguments = invocation.ArgumentList.Arguments.Select(a => a.Expression).ToList();
            if (arguments.Count > 1 && model.GetTypeInfo(arguments[1]).Type is { Name: "CancellationToken" })
            {
                arguments.RemoveAt(1);
            }

            var explicitValues = arguments.Skip(1).ToList();
            var explicitNames = ArgumentNames.FromArguments(explicitValues);
            var parameters = new List<HoleParameter>();
            var types = new List<ITypeSymbol>();
            if (resultType is not null)
            {
                types.Add(resultType);
            }

            for (var i = 0; i < explicitValues.Count; i++)
            {
                var type = model.GetTypeInfo(explicitValues[i]).Type;
                parameters.Add(new HoleParameter(explicitNames[i], type is null ? "object" : CSharpName(type), explicitValues[i].ToString()));
                if (type is not null)
                {
                    types.Add(type);
                }
            }

            foreach (var local in nested.ScopeLocals)
            {
                var symbol = model.LookupSymbols(invocation.SpanStart, name: local).FirstOrDefault(s => s is ILocalSymbol or IParameterSymbol);
                var type = symbol switch { ILocalSymbol l => l.Type, IParameterSymbol p => p.Type, _ => null };
                parameters.Add(new HoleParameter(local, type is null ? "object" : CSharpName(type), local));
                if (type is not null)
                {
                    types.Add(type);
                }
            }

            var (line, column) = source.ToOriginalLineColumn(name.SpanStart);
            var end = source.Edits.ToOriginal(invocation.Span.End - source.UserStart);
            var code = source.Request.Code;
            var marked = code[..end] + " /* <-- this hole */" + code[end..];
            var site = new HoleSite(
                $"{parentLocation}>{FillSource.FileName}",
                line,
                column,
                "fill",
                resultType is null ? "object" : CSharpName(resultType),
                parameters,
                source.Request.Usings,
                TypeDescriber.Describe(types),
                marked);
            sites[nested.Index] = new NestedSite(site, explicitValues.Count);
        }

        return sites;
    }

    /// <summary>The type as fills declare it; types other assemblies cannot name are plain <c>object</c>.</summary>
    private static string CSharpName(ITypeSymbol type)
    {
        var name = TypeNames.FullyQualified(type);
        return name == TypeNames.FullyQualifiedObject ? "object" : name;
    }

    private static string Short(string typeName) => typeName.Replace("global::", "", StringComparison.Ordinal);
}
