using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static Holes.Analyzers.Tests.AnalyzerHarness;

namespace Holes.Analyzers.Tests;

public class InterceptorsTests
{
    private const string Program = """
        using static Holes.Agents;

        var xs = new List<int> { 1, 2, 3 };
        int sum = await agent<int>("the sum of xs", xs);
        """;

    [Theory]
    [InlineData(null, "not set")]
    [InlineData("MyApp.Generated", "'MyApp.Generated'")]
    public void HolesWithoutInterceptors_IsReported_SayingWhatToAdd(string? namespaces, string described)
    {
        var diagnostics = Analyze(Program, interceptorsNamespaces: namespaces, outputKind: OutputKind.ConsoleApplication);

        var diagnostic = Single(diagnostics, "HOLE019");
        Assert.Equal("agent<int>", Text(diagnostic));
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            $"This project calls agent<T> but does not enable the Holes interceptors (InterceptorsNamespaces is {described}), so the build fails with CS9137; add <InterceptorsNamespaces>$(InterceptorsNamespaces);Holes.Generated</InterceptorsNamespaces> to a PropertyGroup of the project file",
            Message(diagnostic));
    }

    [Theory]
    [InlineData(";Holes.Generated")]
    [InlineData("MyApp.Generated; Holes.Generated")]
    public void InterceptorsEnabledByTheProperty_AreNotReported(string namespaces)
    {
        var diagnostics = Analyze(Program, interceptorsNamespaces: namespaces, outputKind: OutputKind.ConsoleApplication);

        None(diagnostics, "HOLE019");
    }

    [Fact]
    public void InterceptorsEnabledAsACompilerFeature_AreNotReported()
    {
        // How the compiler itself receives the property (and how hosts that pass no MSBuild properties set it).
        CSharpParseOptions options = AnalyzerHarness.ParseOptions.WithFeatures([new("InterceptorsPreviewNamespaces", "Holes.Generated")]);

        var diagnostics = Analyze(Program, interceptorsNamespaces: null, outputKind: OutputKind.ConsoleApplication, parseOptions: options);

        None(diagnostics, "HOLE019");
    }

    [Fact]
    public void ProjectWithoutHoles_GetsNoDiagnostics()
    {
        var diagnostics = Analyze("""
            internal static class Program
            {
                // Same shape as Holes' entry point, but not Holes'.
                private static Task<T> agent<T>(string task, params object?[] values) => Task.FromResult(default(T)!);

                private static async Task Main() => Console.WriteLine(await agent<int>("x", 1 + 2));
            }
            """, interceptorsNamespaces: null, referenceHoles: false, outputKind: OutputKind.ConsoleApplication);

        Assert.Empty(diagnostics);
    }
}
