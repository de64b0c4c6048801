using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Basic.Reference.Assemblies;
using Holes.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Holes.Analyzers.Tests;

/// <summary>
/// Compiles test programs against the .NET 10 reference assemblies and the real Holes assembly (offline, the same
/// bytes on every machine) and runs the Holes analyzers over them through <see cref="CompilationWithAnalyzers"/>, with
/// the MSBuild properties a project built from the package would pass.
/// </summary>
internal static class AnalyzerHarness
{
    /// <summary>What the package's props set: the Holes interceptors switched on.</summary>
    public const string InterceptorsOn = ";Holes.Generated";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    /// <summary>ImplicitUsings as the SDK writes them for a console app.</summary>
    public const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
        [new HoleCallAnalyzer(), new CapabilityStorageAnalyzer(), new RevealAnalyzer()];

    public static readonly ImmutableArray<MetadataReference> References =
        [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(Agents).Assembly.Location)];

    public static CSharpCompilation Compile(
        string source,
        OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary,
        bool referenceHoles = true,
        CSharpParseOptions? parseOptions = null)
    {
        parseOptions ??= ParseOptions;
        SyntaxTree[] trees =
        [
            CSharpSyntaxTree.ParseText(GlobalUsings, parseOptions, "/src/GlobalUsings.g.cs", System.Text.Encoding.UTF8),
            CSharpSyntaxTree.ParseText(source, parseOptions, "/src/Program.cs", System.Text.Encoding.UTF8),
        ];
        return CSharpCompilation.Create(
            "Host",
            trees,
            referenceHoles ? References : Net100.References.All,
            new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>
    /// The analyzers' diagnostics for <paramref name="source"/>. The program must compile (unless
    /// <paramref name="allowErrors"/>: some result types are compile errors too) and no analyzer may throw.
    /// </summary>
    public static ImmutableArray<Diagnostic> Analyze(
        string source,
        string? interceptorsNamespaces = InterceptorsOn,
        bool allowErrors = false,
        OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary,
        bool referenceHoles = true,
        CSharpParseOptions? parseOptions = null)
    {
        CSharpCompilation compilation = Compile(source, outputKind, referenceHoles, parseOptions);
        if (!allowErrors)
        {
            Diagnostic[] errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            Assert.True(errors.Length == 0, "The test program does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        }

        var globals = new Dictionary<string, string>();
        if (interceptorsNamespaces is not null)
        {
            globals["build_property.InterceptorsNamespaces"] = interceptorsNamespaces;
        }

        return Run(compilation, globals);
    }

    public static ImmutableArray<Diagnostic> Run(Compilation compilation, IReadOnlyDictionary<string, string> globalOptions)
    {
        var failures = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([], new TestOptionsProvider(globalOptions)),
            onAnalyzerException: (exception, analyzer, diagnostic) => failures.Enqueue($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        ImmutableArray<Diagnostic> diagnostics = compilation.WithAnalyzers(Analyzers, options)
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        Assert.True(failures.IsEmpty, string.Join("\n", failures));
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    /// <summary>The one diagnostic with <paramref name="id"/>; fails, listing them all, if there is not exactly one.</summary>
    public static Diagnostic Single(ImmutableArray<Diagnostic> diagnostics, string id)
    {
        Diagnostic[] matching = diagnostics.Where(d => d.Id == id).ToArray();
        Assert.True(matching.Length == 1, $"Expected one {id}, got {matching.Length}:\n" + string.Join("\n", diagnostics.Select(d => d.ToString())));
        return matching[0];
    }

    /// <summary>Asserts that no diagnostic has <paramref name="id"/>, listing any that do.</summary>
    public static void None(ImmutableArray<Diagnostic> diagnostics, string id)
    {
        Diagnostic[] matching = diagnostics.Where(d => d.Id == id).ToArray();
        Assert.True(matching.Length == 0, $"Expected no {id}:\n" + string.Join("\n", matching.Select(d => d.ToString())));
    }

    /// <summary>The source text the diagnostic points at.</summary>
    public static string Text(Diagnostic diagnostic)
        => diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    public static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class TestOptionsProvider(IReadOnlyDictionary<string, string> globals) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new DictionaryOptions(globals);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => DictionaryOptions.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => DictionaryOptions.Empty;
    }

    private sealed class DictionaryOptions(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly DictionaryOptions Empty = new(new Dictionary<string, string>());

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
