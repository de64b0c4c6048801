using Holes.Pipeline.Compile;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Holes.Benchmarks;

/// <summary>
/// Roslyn scripting as a REPL would use it: one script created up front with the engine's references, optimization level and
/// imports, then each fill is a submission chained onto the previous state with
/// <see cref="ScriptState.ContinueWithAsync{TResult}(string, ScriptOptions?, CancellationToken)"/>.
/// The values are in scope through a globals object. Every submission stays loaded (scripting cannot unload).
/// </summary>
internal sealed class ScriptingPath
{
    private ScriptState? _state;

    public int Submissions { get; private set; }

    public async Task StartAsync(FillGlobals globals)
    {
        var template = ReferenceSet.Shared.Template;
        var options = ScriptOptions.Default
            .WithReferences(template.References)
            .WithImports("System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks")
            .WithOptimizationLevel(template.Options.OptimizationLevel)
            .WithEmitDebugInformation(false);
        _state = await CSharpScript.Create("", options, typeof(FillGlobals)).RunAsync(globals);
    }

    public async Task<T> RunAsync<T>(string code)
    {
        var state = _state ?? throw new InvalidOperationException("Call StartAsync first.");
        var next = await state.ContinueWithAsync<T>(code);
        _state = next;
        Submissions++;
        return next.ReturnValue;
    }
}
