using System.Runtime.CompilerServices;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Nesting;
using Holes.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Holes.Execution;

/// <summary>
/// TEST HOOK ONLY, internal: compiles code with no capability check and no rewriting and runs it where the session runs
/// fills. The isolation tests use it to attack the sandbox itself (open a socket, write a file, overflow the stack),
/// which the verifier would never let a fill reach. Nothing public reaches this type.
/// </summary>
internal static class UncheckedFill
{
    public static async Task<HoleResult<T>> RunForTestsAsync<T>(AgentSession session, string body, CancellationToken cancellationToken, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var source = $$"""
            using System; using System.Collections.Generic; using System.Linq; using System.Threading.Tasks;
            namespace Holes.Fill
            {
                public static class Submission
                {
                    public static Task<object?> RunAsync(global::Holes.Runtime.FillFrame __frame) => global::Holes.Runtime.FillFrame.Box(Body());
                    private static async Task<{{RuntimeTypeNames.FullyQualified(typeof(T))}}> Body()
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
        var emitted = compilation.Emit(image, cancellationToken: cancellationToken);
        if (!emitted.Success)
        {
            throw new InvalidOperationException("The test code does not compile: " + string.Join("; ", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        var fill = new CompiledFill(image.ToArray(), new Dictionary<string, string>(), new HashSet<int>(), [], null!);
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
}
