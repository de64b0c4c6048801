using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Holes.Generators.Tests;

/// <summary>
/// Compiles test programs against the .NET 10 reference assemblies (offline, same bytes on every machine) and
/// runs the generator through <see cref="CSharpGeneratorDriver"/>, the way the compiler does.
/// </summary>
internal static class GeneratorHarness
{
    // Without the feature flag the compiler rejects the interceptors (CS9137), as it does for a consumer
    // that did not import Holes.props.
    public static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.Preview)
        .WithFeatures([new KeyValuePair<string, string>("InterceptorsNamespaces", "Holes.Generated")]);

    /// <summary>ImplicitUsings as the SDK writes them for a console app, so sites see realistic global usings.</summary>
    public const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly MetadataReference HolesReference =
        MetadataReference.CreateFromFile(typeof(Holes.Agents).Assembly.Location);

    public static CSharpCompilation Compile(
        IEnumerable<(string Path, string Source)> files,
        bool referenceHoles = true,
        OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary,
        string assemblyName = "Host")
    {
        IEnumerable<SyntaxTree> trees = files.Select(
            file => CSharpSyntaxTree.ParseText(file.Source, ParseOptions, file.Path, System.Text.Encoding.UTF8));
        IEnumerable<MetadataReference> references = referenceHoles
            ? Net100.References.All.Append(HolesReference)
            : Net100.References.All;
        return CSharpCompilation.Create(
            assemblyName,
            trees,
            references,
            new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static CSharpCompilation Compile(string source, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
        => Compile([("/src/GlobalUsings.g.cs", GlobalUsings), ("/src/Program.cs", source)], outputKind: outputKind);

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new HoleSiteGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorOutcome Run(Compilation compilation)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(
            compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorOutcome(driver, output, diagnostics);
    }
}

/// <summary>The result of one generator run and the compilation it produced.</summary>
internal sealed record GeneratorOutcome(GeneratorDriver Driver, Compilation Output, ImmutableArray<Diagnostic> DriverDiagnostics)
{
    public GeneratorRunResult Result => Driver.GetRunResult().Results.Single();

    public string? Source(string hintName)
        => Result.GeneratedSources.SingleOrDefault(source => source.HintName == hintName).SourceText?.ToString();

    public string Interceptors => Source("Holes.Interceptors.g.cs")
        ?? throw new Xunit.Sdk.XunitException("Holes.Interceptors.g.cs was not generated.");

    /// <summary>
    /// The generator must not throw, and the program plus generated code must compile cleanly with interceptors
    /// on: an interceptor whose signature does not match its target is a compile error, so this checks the
    /// interception itself, not just the syntax of the output.
    /// </summary>
    public void AssertCompilesCleanly()
    {
        Xunit.Assert.Null(Result.Exception);
        Xunit.Assert.Empty(DriverDiagnostics);
        Diagnostic[] problems = Output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error
                || (d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.Contains("Holes.Generators", StringComparison.Ordinal) == true))
            .ToArray();
        Xunit.Assert.True(problems.Length == 0, string.Join(Environment.NewLine, problems.Select(d => d.ToString())));
    }

    /// <summary>How many <c>agent</c> calls in the program the compiler actually routes to a generated interceptor.</summary>
    public int InterceptedCalls()
    {
        int count = 0;
        foreach (SyntaxTree tree in Output.SyntaxTrees.Where(t => t.FilePath.StartsWith("/src/", StringComparison.Ordinal)))
        {
            SemanticModel model = Output.GetSemanticModel(tree);
            foreach (var invocation in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>())
            {
                if (model.GetInterceptorMethod(invocation) is { } interceptor)
                {
                    Xunit.Assert.StartsWith("Hole", interceptor.Name, StringComparison.Ordinal);
                    count++;
                }
            }
        }

        return count;
    }
}
