using Holes.Rules;
using Holes.Pipeline.Budget;
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
    private readonly HoleOptions _options;
    private readonly VariableStore _variables;
    private readonly StatsCounters _stats;
    private readonly FillExecutor _executor;
    private readonly SessionTelemetry _telemetry;
    private readonly BudgetKeeper _budgets;
    private readonly PromptContext? _prompt;

    public HoleEngine(
        AgentSession session, IChatClient client, IReadOnlyDictionary<string, AgentModel> models, HoleOptions options,
        VariableStore variables, StatsCounters stats, SessionTelemetry telemetry)
    {
        _session = session;
        _options = options;
        _variables = variables;
        _stats = stats;
        _executor = new FillExecutor(variables, CapabilityRules.For(options.Policy.Rules, RuntimeImmutability.Instance), stats, session.Runner);
        _telemetry = telemetry;
        _budgets = new BudgetKeeper(options, telemetry);
        _prompt = PromptLayouts.ForNewSession == PromptLayout.SessionContext ? new PromptContext() : null;

        var all = new List<SessionModel> { Model(AgentSession.DefaultModelKey, "", client, options.ChatOptions?.ModelId) };
        all.AddRange(models.Select(m => Model(m.Key, m.Value.Description, m.Value.Client, null)));
        Models = new ModelCatalog(session, all);

        SessionModel Model(string key, string description, IChatClient chatClient, string? modelId)
        {
            var (name, provider) = SessionTelemetry.Describe(chatClient, modelId);
            if (description.Length == 0 && options.ModelDescriptions.TryGetValue(key, out var configured))
            {
                description = configured?.Trim() ?? "";
            }

            return new SessionModel(key, description, chatClient, name, provider, new ModelInvoker(chatClient, key, name, options, stats));
        }
    }

    public FillExecutor Executor => _executor;

    /// <summary>The session's models by key, and how a hole's model is chosen.</summary>
    public ModelCatalog Models { get; }

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
        if (_options.Isolation == HoleIsolation.Process)
        {
            bindings = Execution.Isolated.HandedContracts.ForWorker(bindings);
        }

        // Chosen on the caller's flow: a UseModel or model(key) scope around the call, the site's [HoleModel], the parent's model.
        var key = Models.KeyFor(site);
        var model = Models.Find(key);
        var trace = HoleTrace.Start(_telemetry, HoleTrace.FillOperation, site, task, (parent?.Depth ?? 0) + 1, model, key);
        try
        {
            var value = await FillHoleAsync<T>(site, task, bindings, explicitCount, parent, pure, key, model, trace, cancellationToken).ConfigureAwait(false);
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

    private async Task<T> FillHoleAsync<T>(
        HoleSite site, string task, IReadOnlyList<Binding> bindings, int explicitCount, HoleContext? parent, bool pure,
        string key, SessionModel? model, HoleTrace trace, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(task))
        {
            throw new ArgumentException($"The hole at {site.Location} has an empty task. Say in words what the code must do.", nameof(task));
        }

        _session.ThrowIfDisposed();

        // Scopes check their key when opened, so only a site's [HoleModel] can name a model the session lacks.
        model ??= Models.Require(key, site.Location, task, $"The hole at {site.Location} (\"{task}\"), through [HoleModel(\"{key}\")] on its method or type,");

        // The bound is checked before anything else happens: a capability outside it never reaches a prompt.
        bindings = HoleContext.Admit(site, task, bindings, explicitCount, HoleContext.EffectiveBound(site, parent, pure));
        _stats.Hole();
        var hole = new HoleContext(_session, site, task, bindings, parent, pure) { Model = model };
        if (hole.Depth > _options.MaxDepth)
        {
            throw new HoleDepthExceededException(site.Location, task, _options.MaxDepth, hole.Chain().Select(h => h.Task).ToList());
        }

        // A nested hole counts against its ancestors' and the session's MaxNestedHoles before it asks anything.
        _budgets.Enter(hole);

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

        var messages = new List<ChatMessage>
        {
            SystemPrompt.For(_options.UseStructuredOutput, _prompt is null ? PromptLayout.PerHole : PromptLayout.SessionContext),
            PromptBuilder.Hole(hole, hole.Visible(_variables.Snapshot()), _options, nestedAllowed, _prompt, Models, model),
        };
        var attempts = new List<HoleAttempt>();
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                _stats.Retry();
            }

            trace.StartAttempt(attempt);
            _budgets.BeforeModelCall(hole);

            ModelReply reply;
            try
            {
                reply = await model.Invoker.AskAsync(messages, hole, attempt, trace, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (TimedOut())
            {
                throw new HoleTimeoutException(site.Location, task, _options.Timeout!.Value, "waiting for the model", ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not HoleException)
            {
                throw new HoleModelException(site.Location, task, attempt, ex);
            }

            _budgets.Charge(hole, model, reply.InputTokens, reply.OutputTokens);
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
