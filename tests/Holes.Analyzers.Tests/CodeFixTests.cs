using System.Collections.Immutable;
using Holes.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Holes.Analyzers.Tests;

public class CodeFixTests
{
    [Fact]
    public async Task Fix_AppendsTheNamedVariableToTheValues()
    {
        const string before = """
            using static Holes.Agents;

            var xs = new List<int> { 0, 1, 2, 4, 7 };
            var ys = new List<int> { 3 };
            List<int> primes = await agent<List<int>>("keep only the prime numbers in xs", ys);
            """;
        const string after = """
            using static Holes.Agents;

            var xs = new List<int> { 0, 1, 2, 4, 7 };
            var ys = new List<int> { 3 };
            List<int> primes = await agent<List<int>>("keep only the prime numbers in xs", ys, xs);
            """;

        using var workspace = new AdhocWorkspace();
        Document document = AddDocument(workspace, before, OutputKind.ConsoleApplication);
        ImmutableArray<Diagnostic> diagnostics = await DiagnosticsAsync(document);
        var provider = new HandInVariableCodeFix();
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostics.Single(), (action, _) => actions.Add(action), CancellationToken.None));

        CodeAction fix = Assert.Single(actions);
        Assert.Equal("Hand 'xs' to the hole", fix.Title);
        Assert.Equal(after, await ApplyAsync(fix, document));
    }

    [Fact]
    public async Task Fix_OnACallWithoutValues_KeepsTheLayout()
    {
        const string before = """
            using static Holes.Agents;

            internal static class Shop
            {
                public static async Task<decimal> TotalAsync(List<decimal> prices)
                    => await agent<decimal>(
                        "the sum of prices" // what to do
                        );
            }
            """;
        const string after = """
            using static Holes.Agents;

            internal static class Shop
            {
                public static async Task<decimal> TotalAsync(List<decimal> prices)
                    => await agent<decimal>(
                        "the sum of prices", prices // what to do
                        );
            }
            """;

        using var workspace = new AdhocWorkspace();
        Document document = AddDocument(workspace, before);
        ImmutableArray<Diagnostic> diagnostics = await DiagnosticsAsync(document);
        var actions = new List<CodeAction>();
        await new HandInVariableCodeFix().RegisterCodeFixesAsync(
            new CodeFixContext(document, diagnostics.Single(), (action, _) => actions.Add(action), CancellationToken.None));

        Assert.Equal(after, await ApplyAsync(Assert.Single(actions), document));
    }

    [Fact]
    public async Task FixAll_AppendsEveryMissingName_OfEveryCall()
    {
        const string before = """
            using static Holes.Agents;

            internal static class Shop
            {
                public static async Task<decimal> TotalAsync(List<decimal> prices, decimal discount, decimal tax)
                {
                    decimal net = await agent<decimal>("the sum of prices less discount, plus tax on prices");
                    return await agent<decimal>("round net", CancellationToken.None);
                }
            }
            """;
        const string after = """
            using static Holes.Agents;

            internal static class Shop
            {
                public static async Task<decimal> TotalAsync(List<decimal> prices, decimal discount, decimal tax)
                {
                    decimal net = await agent<decimal>("the sum of prices less discount, plus tax on prices", prices, discount, tax);
                    return await agent<decimal>("round net", CancellationToken.None, net);
                }
            }
            """;

        using var workspace = new AdhocWorkspace();
        Document document = AddDocument(workspace, before);
        ImmutableArray<Diagnostic> diagnostics = await DiagnosticsAsync(document);
        Assert.Equal(["prices", "discount", "tax", "net"], diagnostics.Select(d => d.Properties["Name"]));

        var provider = new HandInVariableCodeFix();
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostics[0], (action, _) => actions.Add(action), CancellationToken.None));
        var context = new FixAllContext(
            document,
            provider,
            FixAllScope.Document,
            Assert.Single(actions).EquivalenceKey,
            provider.FixableDiagnosticIds,
            new FixedDiagnostics(diagnostics),
            CancellationToken.None);
        CodeAction? fixAll = await provider.GetFixAllProvider().GetFixAsync(context);

        Assert.NotNull(fixAll);
        Assert.Equal(after, await ApplyAsync(fixAll, document));
    }

    private static Document AddDocument(AdhocWorkspace workspace, string source, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        Project project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Create(),
            "Host",
            "Host",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: AnalyzerHarness.ParseOptions,
            metadataReferences: AnalyzerHarness.References));
        workspace.AddDocument(project.Id, "GlobalUsings.g.cs", SourceText.From(AnalyzerHarness.GlobalUsings));
        return workspace.AddDocument(project.Id, "Program.cs", SourceText.From(source));
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Document document)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        Assert.DoesNotContain(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        var all = AnalyzerHarness.Run(compilation, new Dictionary<string, string> { ["build_property.InterceptorsNamespaces"] = AnalyzerHarness.InterceptorsOn });
        return all.Where(d => d.Id == "HOLE017").ToImmutableArray();
    }

    private static async Task<string> ApplyAsync(CodeAction action, Document document)
    {
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        Solution changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        return (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString();
    }

    private sealed class FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>([]);

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}
