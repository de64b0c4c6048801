using Holes.Pipeline.Compile;
using Holes.Pipeline.Load;
using Holes.Runtime;

namespace Holes.Pipeline.Run;

/// <summary>Runs a loaded fill with its cancellation token, then starts unloading its code.</summary>
internal static class FillRunner
{
    public static async Task<object?> RunAsync(CompiledFill fill, FillFrame frame, CancellationToken cancellationToken)
    {
        var context = new FillLoadContext();
        Task<object?>? running = null;
        try
        {
            var entry = FillLoader.Load(context, fill);
            frame.Start(cancellationToken);
            running = entry(frame);
            return await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // A fill abandoned on cancellation keeps its budget armed, so its next loop iteration throws.
            if (running is null || running.IsCompleted)
            {
                frame.Stop();
            }

            // Unloading completes once nothing (a returned delegate, a stored value) refers to the fill's code.
            context.Unload();
        }
    }
}
