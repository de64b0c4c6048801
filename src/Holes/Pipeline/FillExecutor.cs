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
        if (!outcome.IsAccepted)
        {
            stats.Rejected(outcome.Diagnostics.Any(d => d.Id.StartsWith("HOLE1", StringComparison.Ordinal)) ? RejectionCause.Capability : RejectionCause.Compile);
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
        HoleContext.Current = context;
        try
        {
            value = await FillRunner.RunAsync(fill, frame, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            stats.Faulted();
            return new HoleResult<T>(HoleStatus.Faulted, default, [], ex, code) { FaultLine = ex is OperationCanceledException ? null : FillLines.Of(ex, fill) };
        }
        finally
        {
            HoleContext.Current = context.Parent;
        }

        var committing = Stopwatch.GetTimestamp();
        if (ResultMismatch<T>(value) is { } mismatch)
        {
            // The code was compiled against a type wider than the hole's (a type parameter or a type the site could not
            // spell): what it returned is checked here, and a wrong value is never passed off as default(T).
            stats.Rejected(RejectionCause.Compile);
            stats.EngineTime(committing);
            return new HoleResult<T>(HoleStatus.Rejected, default, [mismatch], null, code);
        }

        variables.Commit(frame.Declared(), frame.Assigned(slots));
        stats.Accepted();
        stats.EngineTime(committing);
        return new HoleResult<T>(HoleStatus.Accepted, (T)value!, [], null, code);
    }

    /// <summary>HOLE034 when <paramref name="value"/> is not a <typeparamref name="T"/> (null only where <typeparamref name="T"/> admits it).</summary>
    private static HoleDiagnostic? ResultMismatch<T>(object? value)
    {
        if (value is T || (value is null && default(T) is null))
        {
            return null;
        }

        var expected = RuntimeTypeNames.Display(typeof(T));
        var actual = value is null ? "null" : $"a value of type '{RuntimeTypeNames.Display(value.GetType())}'";
        return new HoleDiagnostic(HoleDiagnosticIds.ResultTypeMismatch, HoleDiagnosticSeverity.Error,
            $"The code ran and returned {actual}, but the hole needs a '{expected}'. Nothing it declared was kept. " +
            $"Return a '{expected}': build or convert the value so that it is one.", 1, 1);
    }
}
