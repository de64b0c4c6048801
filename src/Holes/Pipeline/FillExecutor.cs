using Holes.Rules;
using System.Diagnostics;
using Holes.Execution;
using Holes.Pipeline.Commit;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Model;
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

    /// <summary>How often a fill is compiled again because a variable it uses changed type while it waited for its locks.</summary>
    private const int MaxRecompiles = 3;

    public async Task<HoleResult<T>> ExecuteAsync<T>(
        string code, HoleSite site, IReadOnlyList<Binding> bindings, HoleContext context, bool nestedHolesAllowed, CancellationToken cancellationToken)
    {
        stats.Attempt();
        var started = Stopwatch.GetTimestamp();
        for (var round = 0; ; round++)
        {
            var snapshot = variables.Snapshot();
            var visible = context.Visible(snapshot).Where(v => !bindings.Any(b => b.Name == v.Name)).ToList();
            var slots = visible.Select(v => new VariableSlot(v.Name, v.TypeName)).ToList();
            var request = new FillRequest(code, site.ResultType, bindings, slots, site.Usings, nestedHolesAllowed, context.Bound, context.IsPure, variables.GrantedTypes);

            CompileOutcome outcome;
            try
            {
                outcome = await FillCompiler.CompileAsync(request, rules, site.Location, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex)
            {
                stats.EngineTime(started);
                return new HoleResult<T>(HoleStatus.Faulted, default, [], ex, code) { Stage = "compiling the fill" };
            }

            var trace = HoleTrace.Current;
            trace?.Compiled(Stopwatch.GetElapsedTime(started), outcome.IsAccepted);
            if (!outcome.IsAccepted)
            {
                var cause = outcome.Diagnostics.Any(d => IsCapabilityDenial(d.Id)) ? RejectionCause.Capability : RejectionCause.Compile;
                stats.Rejected(cause);
                trace?.Rejected(cause, outcome.Diagnostics);
                stats.EngineTime(started);
                return new HoleResult<T>(HoleStatus.Rejected, default, outcome.Diagnostics, null, code);
            }

            var fill = outcome.Fill!;

            // Fills that write the same variables run one after another: the locks are taken before the values are read.
            IDisposable? locks = null;
            var writes = context.IsPure ? [] : fill.WrittenVariables.Select(i => slots[i].Name).Concat(fill.DeclaredTypes.Keys).Distinct(StringComparer.Ordinal).ToList();
            if (writes.Count > 0)
            {
                try
                {
                    locks = await variables.Locks.AcquireAsync(writes, context, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex)
                {
                    stats.EngineTime(started);
                    return new HoleResult<T>(HoleStatus.Faulted, default, [], ex, code) { Stage = "waiting for another fill that writes the same variables to commit" };
                }
            }

            try
            {
                // The values as committed now (another fill may have committed while this one compiled or waited).
                if (!Refresh(visible, variables.Snapshot()) && round < MaxRecompiles)
                {
                    continue;
                }

                stats.EngineTime(started);
                return await RunAndCommitAsync<T>(code, site, bindings, context, fill, visible, slots, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                locks?.Dispose();
            }
        }
    }

    /// <summary>
    /// Replaces each variable the fill was compiled with by its value as committed now. False when one of them is gone
    /// or changed type (the fill must be compiled again).
    /// </summary>
    private static bool Refresh(List<SessionVariable> visible, IReadOnlyList<SessionVariable> current)
    {
        for (var i = 0; i < visible.Count; i++)
        {
            var name = visible[i].Name;
            var now = current.FirstOrDefault(v => v.Name == name);
            if (now is null || now.TypeName != visible[i].TypeName)
            {
                return false;
            }

            visible[i] = now;
        }

        return true;
    }

    private async Task<HoleResult<T>> RunAndCommitAsync<T>(
        string code, HoleSite site, IReadOnlyList<Binding> bindings, HoleContext context, CompiledFill fill, List<SessionVariable> visible, List<VariableSlot> slots,
        CancellationToken cancellationToken)
    {
        var trace = HoleTrace.Current;
        FillOutcome run;
        trace?.Running();
        var outerModel = ModelScope.Current;
        if (context.Model is { } model)
        {
            // The fill's nested holes run on its hole's model unless the fill picks another with model(key).
            ModelScope.Current = ModelScope.Inherited(context.Session, model.Key);
        }

        // Holes the fill starts are linked to this: the hole's token (the in-process runner narrows it to the fill's budget).
        context.RunToken = cancellationToken;
        try
        {
            run = await runner.RunAsync<T>(new FillRun(fill, bindings, visible, slots, context), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            stats.Faulted();
            trace?.Faulted(ex);
            return new HoleResult<T>(HoleStatus.Faulted, default, [], ex, code) { FaultLine = ex is OperationCanceledException or HoleException ? null : FillLines.Of(ex, fill) };
        }
        finally
        {
            ModelScope.Current = outerModel;
        }

        if (context.RanOut() is { } ranOut)
        {
            // The hole (or one above it) ran out of its budget while the fill ran, and the fill carried on: it commits nothing.
            stats.Faulted();
            trace?.Faulted(ranOut);
            return new HoleResult<T>(HoleStatus.Faulted, default, [], ranOut, code);
        }

        var committing = Stopwatch.GetTimestamp();
        var value = run.Value;
        if (ResultMismatch<T>(value) is { } mismatch)
        {
            // The code was compiled against a type wider than the hole's (a type parameter or a type the site could not
            // spell): what it returned is checked here, and a wrong value is never passed off as default(T).
            stats.Rejected(RejectionCause.Compile);
            stats.EngineTime(committing);
            return new HoleResult<T>(HoleStatus.Rejected, default, [mismatch], null, code);
        }

        if (!context.IsPure)
        {
            // A pure hole (inside a Classified<T> transform) commits nothing: what it computed may derive from classified data.
            var declared = run.Declared.ToList();
            var assigned = run.Assigned.ToList();
            if (ReplacedGrant(declared, assigned) is { } replaced)
            {
                stats.Faulted();
                stats.EngineTime(committing);
                return new HoleResult<T>(HoleStatus.Faulted, default, [], HoleCapabilityException.GrantReplaced(site.Location, context.Task, replaced), code);
            }

            if (KeptCapability(declared, assigned, context) is { } kept)
            {
                stats.Faulted();
                stats.EngineTime(committing);
                return new HoleResult<T>(HoleStatus.Faulted, default, [], HoleCapabilityException.Kept(site.Location, context.Task, kept.Name, kept.Type), code);
            }

            variables.Commit(declared, assigned);
        }

        stats.Accepted();
        stats.EngineTime(committing);
        trace?.Committed(variables.Snapshot().Length);
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

    /// <summary>
    /// The verifier rejects fills whose variables have a capability static type; this catches the rest (a capability
    /// kept in an <c>object</c> variable): a capability value may be committed only if it is one the session was granted.
    /// </summary>
    private (string Name, Type Type)? KeptCapability(List<SessionVariable> declared, List<(string Name, object? Value)> assigned, HoleContext context)
    {
        var values = declared.Select(v => (v.Name, v.Value)).Concat(assigned).ToList();
        foreach (var (name, value) in values)
        {
            if (value is not null && RuntimeCapabilities.IsAuthority(value.GetType()) && !variables.IsGranted(value))
            {
                return (name, value.GetType());
            }
        }

        // Deeper: a handed capability inside a list, an anonymous object, a tuple or a closure. Only the capabilities
        // this hole (or a hole above it) was handed can be there, so with none there is nothing to walk.
        var handed = Handed(context);
        if (handed.Count == 0)
        {
            return null;
        }

        foreach (var (name, value) in values)
        {
            var finding = HeldCapabilities.Find([value], handed, static o => RuntimeCapabilities.IsAuthority(o.GetType()));
            if (finding.Capability is { } capability)
            {
                return (name, capability.GetType());
            }

            if (finding.TooLarge)
            {
                return (name, value!.GetType());
            }
        }

        return null;
    }

    /// <summary>The capability objects handed to <paramref name="context"/>'s hole and the holes above it, except those granted to the session.</summary>
    private List<object> Handed(HoleContext context)
    {
        var handed = new List<object>();
        for (var hole = context; hole is not null; hole = hole.Parent)
        {
            foreach (var binding in hole.Bindings)
            {
                if (binding.Value is { } value && RuntimeCapabilities.IsAuthority(value.GetType()) && !variables.IsGranted(value))
                {
                    handed.Add(value);
                }
            }
        }

        return handed;
    }

    /// <summary>A variable granted to the session that a fill redeclared or assigned: fills use grants, they never replace them.</summary>
    private string? ReplacedGrant(List<SessionVariable> declared, List<(string Name, object? Value)> assigned)
    {
        foreach (var variable in declared)
        {
            if (variables.IsGrantedName(variable.Name))
            {
                return variable.Name;
            }
        }

        foreach (var (name, value) in assigned)
        {
            if (variables.IsGrantedName(name) && !(value is not null && variables.IsGranted(value)))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>A denial of the capability bound: <c>HOLE1xxx</c> framework denials and the three-digit <c>HOLE0xx</c> rules.</summary>
    private static bool IsCapabilityDenial(string id) =>
        id.StartsWith("HOLE1", StringComparison.Ordinal) || id.Length == 7 && id.StartsWith("HOLE0", StringComparison.Ordinal);
}
