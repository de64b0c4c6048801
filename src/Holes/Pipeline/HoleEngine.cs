using Holes.Rules;
using Holes.Pipeline.Commit;
using Holes.Pipeline.Compile;
using Holes.Pipeline.Model;
using Holes.Pipeline.Nesting;
using Holes.Pipeline.Prompt;
using Holes.Pipeline.Run;
using Holes.Pipeline.Verify;
using Holes.Runtime;
using Holes.Telemetry;
using Microsoft.Extensions.AI;

namespace Holes.Pipeline;

/// <summary>
/// Fills holes: prompt → model → extract → (compile → verify → load → run → commit), retrying with the
/// diagnostics of each rejected attempt until one is accepted or the attempts run out.
/// </summary>
internal sealed class HoleEngine
{
    private readonly AgentSession _session;
    private readonly IChatClient _client;
    private readonly HoleOptions _options;
    private readonly VariableStore _variables;
    private readonly StatsCounters _stats;
    private readonly FillExecutor _executor;
    private readonly SessionTelemetry _telemetry;
    private readonly ModelInvoker _model;

    public HoleEngine(AgentSession session, IChatClient client, HoleOptions options, VariableStore variables, StatsCounters stats, SessionTelemetry telemetry)
    {
        _session = session;
        _client = client;
        _options = options;
        _variables = variables;
        _stats = stats;
        _executor = new FillExecutor(variables, CapabilityRules.For(options.Policy.Rules, RuntimeImmutability.Instance), stats, session.Runner);
        _telemetry = telemetry;
        _model = new ModelInvoker(client, options, stats, telemetry);
    }

    public FillExecutor Executor => _executor;

    public Task<T> FillAsync<T>(HoleSite? site, string task, object?[] values, HoleContext? parent, CancellationToken cancellationToken, bool pure = false)
    {
        site ??= RuntimeSites.Describe(typeof(T), values);
        var bindings = new List<Binding>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = i < site.Parameters.Count ? site.Parameters[i] : new HoleParameter($"value{i}", "object", $"value{i}");
            bindings.Add(new Binding(parameter.Name, parameter.Type, values[i]));
        }

        if (parent is not null)
        {
            Inherit(bindings, parent);
        }

        return RunHoleAsync<T>(site, task, bindings, values.Length, parent, pure, cancellationToken);
    }

    public Task<T> FillNestedAsync<T>(HoleContext? parent, NestedSite? nested, object?[] scope, string task, object?[] values, CancellationToken cancellationToken, bool pure = false)
    {
        if (nested is null || nested.ExplicitCount != values.Length || nested.Site.Parameters.Count != values.Length + scope.Length)
        {
            return FillAsync<T>(null, task, values, parent, cancellationToken, pure);
        }

        var parameters = nested.Site.Parameters;
        var bindings = new List<Binding>(parameters.Count);
        for (var i = 0; i < parameters.Count; i++)
        {
            var value = i < values.Length ? values[i] : scope[i - values.Length];
            bindings.Add(new Binding(parameters[i].Name, parameters[i].Type, value));
        }

        if (parent is not null)
        {
            Inherit(bindings, parent);
        }

        return RunHoleAsync<T>(nested.Site, task, bindings, values.Length, parent, pure, cancellationToken);
    }

    /// <summary>A nested hole also sees what its parent was handed, unless a closer value has the same name.</summary>
    private static void Inherit(List<Binding> bindings, HoleContext parent)
    {
        foreach (var inherited in parent.Bindings)
        {
            if (!bindings.Exists(b => b.Name == inherited.Name))
            {
                bindings.Add(inherited);
            }
        }
    }

    /// <summary>Fills one hole inside its trace: a span, log events, metrics and progress reports (see docs/observability.md).</summary>
    /// <remarks>explicitCount: how many of the bindings the call handed in explicitly; the rest are the scope and the parent's values.</remarks>
    private async Task<T> RunHoleAsync<T>(HoleSite site, string task, IReadOnlyList<Binding> bindings, int explicitCount, HoleContext? parent, bool pure, CancellationToken cancellationToken)
    {
        var trace = HoleTrace.Start(_telemetry, HoleTrace.FillOperation, site, task, (parent?.Depth ?? 0) + 1);
        try
        {
            var value = await FillHoleAsync<T>(site, task, bindings, explicitCount, parent, pure, trace, cancellationToken).ConfigureAwait(false);
            trace.Filled();
            return value;
        }
        catch (Exception ex)
        {
            trace.Failed(ex);
            throw;
        }
        finally
        {
            trace.EnsureEnded();
        }
    }

    private async Task<T> FillHoleAsync<T>(HoleSite site, string task, IReadOnlyList<Binding> bindings, int explicitCount, HoleContext? parent, bool pure, HoleTrace trace, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(task))
        {
            throw new ArgumentException($"The hole at {site.Location} has an empty task. Say in words what the code must do.", nameof(task));
        }

        _session.ThrowIfDisposed();

        // The bound is checked before anything else happens: a capability outside it never reaches a prompt.
        bindings = HoleContext.Admit(site, task, bindings, explicitCount, HoleContext.EffectiveBound(site, parent, pure));
        _stats.Hole();
        var hole = new HoleContext(_session, site, task, bindings, parent, pure);
        if (hole.Depth > _options.MaxDepth)
        {
            throw new HoleDepthExceededException(site.Location, task, _options.MaxDepth, hole.Chain().Select(h => h.Task).ToList());
        }

        _ = CompilerWarmup.Start();

        // The hole's token: the caller's, its own timeout, and the parent fill's run (a nested hole stops with its parent).
        var parentToken = parent?.RunToken ?? CancellationToken.None;
        using var timeout = _options.Timeout is { } limit ? new CancellationTokenSource(limit) : null;
        using var linked = timeout is not null || parentToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, parentToken, timeout?.Token ?? CancellationToken.None)
            : null;
        var token = linked?.Token ?? cancellationToken;
        bool TimedOut() => timeout is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested && !parentToken.IsCancellationRequested;
        var nestedAllowed = hole.Depth < _options.MaxDepth;

        var messages = new List<ChatMessage> { SystemPrompt.For(_options.UseStructuredOutput), PromptBuilder.Hole(hole, hole.Visible(_variables.Snapshot()), _options, nestedAllowed) };
        var attempts = new List<HoleAttempt>();
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                _stats.Retry();
            }

            trace.StartAttempt(attempt);

            ModelReply reply;
            try
            {
                reply = await _model.AskAsync(messages, hole, attempt, trace, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (TimedOut())
            {
                throw new HoleTimeoutException(site.Location, task, _options.Timeout!.Value, "waiting for the model", ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not HoleException)
            {
                throw new HoleModelException(site.Location, task, attempt, ex);
            }

            if (reply.GiveUp is { } reason)
            {
                _stats.Attempt();
                throw new HoleAbandonedException(site.Location, task, reason);
            }

            messages.Add(new ChatMessage(ChatRole.Assistant, reply.Raw));
            if (reply.Code is not { } code)
            {
                _stats.Attempt();
                _stats.Rejected(RejectionCause.NoCode);
                attempts.Add(new HoleAttempt(attempt, null,
                    [new HoleDiagnostic(HoleDiagnosticIds.NoCode, HoleDiagnosticSeverity.Error, "The reply contained no code: neither a JSON {\"code\": ...} object nor a ```csharp block.", 1, 1)]));
                trace.Rejected(RejectionCause.NoCode, attempts[^1].Diagnostics);
                messages.Add(PromptBuilder.NoCode(hole, attempt + 1));
                continue;
            }

            hole.Code = code;
            var result = await _executor.ExecuteAsync<T>(code, site, bindings, hole, nestedAllowed, token).ConfigureAwait(false);
            switch (result.Status)
            {
                case HoleStatus.Accepted:
                    return result.Value!;
                case HoleStatus.Rejected:
                    attempts.Add(new HoleAttempt(attempt, code, result.Diagnostics));
                    messages.Add(PromptBuilder.Rejected(hole, code, result.Diagnostics, attempt + 1));
                    continue;
            }

            var exception = result.Exception!;
            if (exception is OperationCanceledException && (cancellationToken.IsCancellationRequested || parentToken.IsCancellationRequested))
            {
                throw exception;
            }

            if (exception is OperationCanceledException && TimedOut())
            {
                // Compiling, or waiting for another fill to commit (a running fill that times out is HoleBudgetExceededException).
                throw new HoleTimeoutException(site.Location, task, _options.Timeout!.Value, result.Stage ?? "running the fill", exception);
            }

            if (exception is HoleException nestedFailure)
            {
                // A nested hole failed: it already names its own site; do not hide it behind this one.
                throw nestedFailure;
            }

            var line = result.FaultLine;
            if (_options.RetryOnRuntimeException && attempt < _options.MaxAttempts)
            {
                _stats.Rejected(RejectionCause.RuntimeException);
                attempts.Add(new HoleAttempt(attempt, code,
                    [new HoleDiagnostic(HoleDiagnosticIds.FillThrew, HoleDiagnosticSeverity.Error, $"The code threw {exception.GetType().Name}: {HostPaths.Strip(exception.Message)}", line ?? 1, 1)]));
                trace.Rejected(RejectionCause.RuntimeException, attempts[^1].Diagnostics);
                messages.Add(PromptBuilder.Threw(hole, code, exception, line, attempt + 1));
                continue;
            }

            throw new HoleFaultedException(site.Location, task, code, line, exception);
        }

        if (attempts.All(a => a.Code is null))
        {
            throw new HoleNoCodeException(site.Location, task, attempts);
        }

        throw new HoleRejectedException(site.Location, task, attempts);
    }
}
