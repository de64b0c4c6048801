using System.Diagnostics;
using System.Runtime.Loader;
using Holes.Pipeline.Compile;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Holes.Benchmarks;

/// <summary>
/// The floor: the least work that still compiles a fill with Roslyn and runs it in a collectible context.
/// The code becomes the body of a static async method whose parameters are the values; that one tree is added to the
/// engine's own template compilation (same references and compilation options, already-read metadata), emitted with no PDB, loaded into a
/// new collectible <see cref="AssemblyLoadContext"/>, invoked through a typed delegate, awaited, and unloaded.
/// No capability check, no rewriting, no session variables, no diagnostics mapping.
/// </summary>
internal sealed class FloorPath
{
    private const string Header =
        "using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Text;\nusing System.Threading.Tasks;\n" +
        "public static class FloorFill\n{\n";

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest, DocumentationMode.None);

    /// <param name="resultTypeName">The C# spelling of <typeparamref name="T"/>.</param>
    /// <param name="code">The fill.</param>
    /// <param name="values">The values, passed as the method's parameters.</param>
    /// <param name="stages">When given, receives compile / load / run / unload times and the run's JIT time in ms (for the stage split only).</param>
    public async Task<T> RunAsync<T>(string resultTypeName, string code, FillGlobals values, double[]? stages = null)
    {
        var t = Stopwatch.GetTimestamp();
        var compilation = ReferenceSet.Shared.Template.AddSyntaxTrees(Parse(resultTypeName, code));

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            throw new InvalidOperationException(
                "The floor could not compile the fill:\n" + string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        image.Position = 0;
        Lap(stages, 0, ref t);
        var context = new AssemblyLoadContext("Holes.Benchmarks.Floor", isCollectible: true);
        try
        {
            var run = context.LoadFromStream(image).GetType("FloorFill", throwOnError: true)!.GetMethod("Run")!
                .CreateDelegate<Func<List<int>, List<string>, string, int, Task<T>>>();
            Lap(stages, 1, ref t);
            var jit = stages is null ? TimeSpan.Zero : System.Runtime.JitInfo.GetCompilationTime(currentThread: true);
            var result = await run(values.xs, values.words, values.text, values.n);
            Lap(stages, 2, ref t);
            if (stages is not null)
            {
                stages[4] = (System.Runtime.JitInfo.GetCompilationTime(currentThread: true) - jit).TotalMilliseconds;
            }

            return result;
        }
        finally
        {
            context.Unload();
            Lap(stages, 3, ref t);
        }
    }

    /// <summary>The floor's whole source: the fill as the body of a static async method taking the values.</summary>
    public static SyntaxTree Parse(string resultTypeName, string code) => CSharpSyntaxTree.ParseText(
        Header + "public static async Task<" + resultTypeName + "> Run(List<int> xs, List<string> words, string text, int n)\n{\n" + code + "\n}\n}\n",
        s_parseOptions);

    private static void Lap(double[]? stages, int index, ref long timestamp)
    {
        if (stages is not null)
        {
            stages[index] = Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds;
            timestamp = Stopwatch.GetTimestamp();
        }
    }
}
