using System.Runtime.CompilerServices;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Nesting;
using Holes.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Holes.Execution;

/// <summary>
/// TEST HOOK (and the engine's warm-up fill), internal: compiles code with no capability check and no rewriting and runs it where the session runs
/// fills. The isolation tests use it to attack the sandbox itself (open a socket, write a file, overflow the stack),
/// which the verifier would never let a fill reach. Nothing public reaches this type.
/// </summary>
internal static class UncheckedFill
{
    public static async Task<HoleResult<T>> RunForTestsAsync<T>(AgentSession session, string body, CancellationToken cancellationToken, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var fill = new CompiledFill(Compile(body, typeof(T)), new Dictionary<string, string>(), new HashSet<int>(), [], null!);
        var site = new HoleSite(file, line, 0, "test", RuntimeTypeNames.FullyQualified(typeof(T)), [], [], [], "");
        var context = new HoleContext(session, site, "(unchecked test code)", [], null);
        try
        {
            var outcome = await session.Runner.RunAsync<T>(new FillRun(fill, [], [], [], context), cancellationToken).ConfigureAwait(false);
            return new HoleResult<T>(HoleStatus.Accepted, outcome.Value is T typed ? typed : default, [], null, body);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HoleResult<T>(HoleStatus.Faulted, default, [], ex, body);
        }
    }

    /// <summary>
    /// Compiles <paramref name="body"/> (statements that may use <c>__frame</c>) as a fill's entry point, unchecked.
    /// Also used for the engine's own warm-up fill, which every new worker runs once before it is needed.
    /// </summary>
    public static byte[] Compile(string body, Type resultType)
    {
        var source = $$"""
            using System; using System.Collections.Generic; using System.Linq; using System.Threading.Tasks;
            namespace Holes.Fill
            {
                public static class Submission
                {
                    public static Task<object?> RunAsync(global::Holes.Runtime.FillFrame __frame) => global::Holes.Runtime.FillFrame.Box(Body(__frame));
                    private static async Task<{{RuntimeTypeNames.FullyQualified(resultType)}}> Body(global::Holes.Runtime.FillFrame __frame)
                    {
                        await Task.Yield();
                        {{body}}
                    }
                }
            }
            """;
        var tree = CSharpSyntaxTree.ParseText(source, FillSource.ParseOptions, FillSource.FileName);
        var compilation = ReferenceSet.Shared.Template.AddSyntaxTrees(tree).WithOptions(ReferenceSet.Shared.Template.Options.WithAllowUnsafe(true));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            throw new InvalidOperationException("The code does not compile: " + string.Join("; ", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return image.ToArray();
    }
}
