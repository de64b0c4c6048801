using Holes.Rules;
using System.Diagnostics;
using Holes.Pipeline.Commit;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Nesting;
using Holes.Pipeline.Run;
using Holes.Pipeline.Verify;
using Holes.Runtime;
using Holes.Telemetry;

namespace Holes.Pipeline;

/// <summary>
/// compile → verify → load → run → commit for one piece of code. The model path and
/// <see cref="AgentSession.ExecuteAsync{T}"/> both come through here, so they are checked identically.
/// </summary>
internal sealed class FillExecutor(VariableStore variables, CapabilityRules rules, StatsCounters stats)
{
    public async Task<HoleResult<T>> ExecuteAsync<T>(
        string code, HoleSite site, IReadOnlyList<Binding> bindings, HoleContext context, bool nestedHolesAllowed, CancellationToken cancellationToken)
    {
        stats.Attempt();
        var started = Stopwatch.GetTimestamp();
        var snapshot = variables.Snapshot();
        var visible = snapshot.Where(v => !bindings.Any(b => b.Name == v.Name)).ToList();
        var slots = visible.Select(v => new VariableSlot(v.Name, v.TypeName)).ToList();
        var request = new FillRequest(code, site.ResultType, bindings, slots, site.Usings, nestedHolesAllowed);

        var outcome = await FillCompiler.CompileAsync(request, rules, site.Location, cancellationToken).ConfigureAwait(false);
        var trace = HoleTrace.Current;
        trace?.Compiled(Stopwatch.GetElapsedTime(started), outcome.IsAccepted);
        if (!outcome.IsAccepted)
        {
            var cause = outcome.Diagnostics.Any(d => d.Id.StartsWith("HOLE1", StringComparison.Ordinal)) ? RejectionCause.Capability : RejectionCause.Compile;
            stats.Rejected(cause);
            trace?.Rejected(cause, outcome.Diagnostics);
            stats.EngineTime(started);
            return new HoleResult<T>(HoleStatus.Rejected, default, outcome.Diagnostics, null, code);
        }

        var fill = outcome.Fill!;
        var frame = new FillFrame(
            [.. bindings.Select(b => b.Value)],
            [.. visible.Select(v => v.Value)],
            fill,
            context);
        stats.EngineTime(started);

        object? value;
        trace?.Running();
        HoleContext.Current = context;
        try
        {
            value = await FillRunner.RunAsync(fill, frame, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            stats.Faulted();
            trace?.Faulted(ex);
            return new HoleResult<T>(HoleStatus.Faulted, default, [], ex, code) { FaultLine = ex is OperationCanceledException ? null : FillLines.Of(ex, fill) };
        }
        finally
        {
            HoleContext.Current = context.Parent;
        }

        var committing = Stopwatch.GetTimestamp();
        variables.Commit(frame.Declared(), frame.Assigned(slots));
        stats.Accepted();
        stats.EngineTime(committing);
        trace?.Committed(variables.Snapshot().Length);
        return new HoleResult<T>(HoleStatus.Accepted, value is T typed ? typed : default, [], null, code);
    }
}
