using Holes.Rules;
using Holes.Pipeline.Load;
using Holes.Pipeline.Verify;
using Holes.Runtime;

namespace Holes.Pipeline.Compile;

/// <summary>
/// Warms the compiler while the first model call is in flight: loads the reference set, binds a trivial fill,
/// emits, loads and runs it. The first hole of a process then pays for the model, not for JIT and metadata reading.
/// </summary>
internal static class CompilerWarmup
{
    private static readonly Lazy<Task> s_warmup = new(() => Task.Run(Warm), LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task Start() => s_warmup.Value;

    private static async Task Warm()
    {
        try
        {
            var request = new FillRequest(
                "var squares = new List<int> { 1, 2, 3 }.Select(x => x * x).ToList();\nforeach (var s in squares) { }\nreturn squares.Count;",
                "int", [], [], [], NestedHolesAllowed: true);
            var outcome = await FillCompiler.CompileAsync(request, CapabilityRules.For(Capabilities.CapabilityPolicy.Default.Rules), "warmup", CancellationToken.None).ConfigureAwait(false);
            if (outcome.Fill is { } fill)
            {
                // Through the fill thread and the budget, as every fill runs: their code is JIT-ed too.
                using var budget = new RunBudget(null, CancellationToken.None);
                await Run.FillRunner.RunAsync(fill, new FillFrame([], [], fill, null), budget).ConfigureAwait(false);
                budget.Stop(BudgetStop.Ended);
            }
        }
        catch (Exception)
        {
            // Warm-up is an optimisation only: the real fill will surface any problem with a proper error.
        }
    }
}
