using Holes.Pipeline.Compile;
using Holes.Pipeline.Load;
using Holes.Runtime;

namespace Holes.Pipeline.Run;

/// <summary>Runs a loaded fill on a thread of its own under its budget, then starts unloading its code.</summary>
internal static class FillRunner
{
    /// <summary>
    /// Loads <paramref name="fill"/> and runs it on a <see cref="FillThread"/> under <paramref name="budget"/>. The
    /// caller owns the budget: it decides how long to wait (the task does not complete while a stuck fill spins) and
    /// stops the budget once it no longer needs the fill's code to run.
    /// </summary>
    public static async Task<object?> RunAsync(CompiledFill fill, FillFrame frame, RunBudget budget)
    {
        var context = new FillLoadContext();
        try
        {
            var entry = FillLoader.Load(context, fill);
            frame.Budget = budget;
            return await FillThread.Start(() => entry(frame), budget).ConfigureAwait(false);
        }
        finally
        {
            // Unloading completes once nothing (a returned delegate, a stored value) refers to the fill's code.
            context.Unload();
        }
    }
}
