using System.Runtime.Loader;
using Holes.Pipeline.Compile;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Holes.Benchmarks;

/// <summary>
/// The floor: the least work that still compiles a fill with Roslyn and runs it in a collectible context.
/// The code becomes the body of a static async method whose parameters are the values; that one tree is added to the
/// engine's own template compilation (same references, already-read metadata), emitted with no PDB, loaded into a
/// new collectible <see cref="AssemblyLoadContext"/>, invoked through a typed delegate, awaited, and unloaded.
/// No capability check, no rewriting, no session variables, no diagnostics mapping.
/// </summary>
internal sealed class FloorPath
{
    private const string Header =
        "using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Text;\nusing System.Threading.Tasks;\n" +
        "public static class FloorFill\n{\n";

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest, DocumentationMode.None);

    private readonly CSharpCompilation _template = ReferenceSet.Shared.Template;

    public async Task<T> RunAsync<T>(string resultTypeName, string code, FillGlobals values)
    {
        var source = Header +
            "public static async Task<" + resultTypeName + "> Run(List<int> xs, List<string> words, string text, int n)\n{\n" +
            code + "\n}\n}\n";
        var compilation = _template.AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, s_parseOptions));

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            throw new InvalidOperationException(
                "The floor could not compile the fill:\n" + string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        image.Position = 0;
        var context = new AssemblyLoadContext("Holes.Benchmarks.Floor", isCollectible: true);
        try
        {
            var run = context.LoadFromStream(image).GetType("FloorFill", throwOnError: true)!.GetMethod("Run")!
                .CreateDelegate<Func<List<int>, List<string>, string, int, Task<T>>>();
            return await run(values.xs, values.words, values.text, values.n);
        }
        finally
        {
            context.Unload();
        }
    }
}
