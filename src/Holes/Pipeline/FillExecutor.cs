using Holes.Rules;
using System.Diagnostics;
using Holes.Execution;
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
internal sealed class FillExecutor(VariableStore variables, CapabilityRules rules, StatsCounters stats, IFillRunner? fillRunner = null)
{
    private readonly IFillRunner runner = fillRunner ?? InProcessRunner.Instance;

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
        if (!outcome.IsAccepted)
        {
            stats.Rejected(outcome.Diagnostics.Any(d => d.Id.StartsWith("HOLE1", StringComparison.Ordinal)) ? RejectionCause.Capability : RejectionCause.Compile);
            stats.EngineTime(started);
            return new HoleResult<T>(HoleStatus.Rejected, default, outcome.Diagnostics, null, code);
        }

        var fill = outcome.Fill!;
        stats.EngineTime(started);

        FillOutcome run;
        try
        {
            run = await runner.RunAsync<T>(new FillRun(fill, bindings, visible, slots, context), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            stats.Faulted();
            return new HoleResult<T>(HoleStatus.Faulted, default, [], ex, code) { FaultLine = ex is OperationCanceledException ? null : FillLines.Of(ex, fill) };
        }

        var committing = Stopwatch.GetTimestamp();
        variables.Commit(run.Declared, run.Assigned);
        stats.Accepted();
        stats.EngineTime(committing);
        var value = run.Value;
        return new HoleResult<T>(HoleStatus.Accepted, value is T typed ? typed : default, [], null, code);
    }
}
