using Holes.Pipeline.Nesting;
using Holes.Pipeline.Run;
using Holes.Runtime;

namespace Holes.Execution;

/// <summary><see cref="HoleIsolation.InProcess"/>: the fill runs in this process, in its own collectible load context.</summary>
internal sealed class InProcessRunner : IFillRunner
{
    public static readonly InProcessRunner Instance = new();

    private InProcessRunner()
    {
    }

    public async Task<FillOutcome> RunAsync<T>(FillRun run, CancellationToken cancellationToken)
    {
        var frame = new FillFrame(
            [.. run.Bindings.Select(b => b.Value)],
            [.. run.Variables.Select(v => v.Value)],
            run.Fill,
            run.Context);
        HoleContext.Current = run.Context;
        try
        {
            var value = await FillRunner.RunAsync(run.Fill, frame, cancellationToken).ConfigureAwait(false);
            return new FillOutcome(value, [.. frame.Declared()], [.. frame.Assigned(run.Slots)]);
        }
        finally
        {
            HoleContext.Current = run.Context.Parent;
        }
    }
}
