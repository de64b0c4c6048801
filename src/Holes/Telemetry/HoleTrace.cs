using System.Diagnostics;
using Holes.Runtime;
using Microsoft.Extensions.Logging;

namespace Holes.Telemetry;

/// <summary>
/// One hole's telemetry, all channels at once: its span and its attempts' spans (source <c>Holes</c>), its metrics
/// (meter <c>Holes</c>), its log events and its progress reports. The engine calls it at each step; while the hole
/// runs it is <see cref="Current"/> on the hole's async flow, so the fill executor reports into it too.
/// </summary>
/// <remarks>
/// With nothing listening, a trace is one small object per hole: no activity is created, the log calls stop at
/// <see cref="ILogger.IsEnabled"/>, and the instruments are disabled.
/// </remarks>
internal sealed class HoleTrace
{
    public const string FillOperation = "fill";
    public const string ExecuteOperation = "execute";

    private static readonly AsyncLocal<HoleTrace?> s_current = new();
    private static long s_lastId;

    private readonly SessionTelemetry _session;
    private readonly Activity? _activity;
    private readonly long _started = Stopwatch.GetTimestamp();
    private Activity? _attempt;
    private string? _attemptOutcome;
    private long? _inputTokens, _outputTokens;
    private bool _ended;

    private readonly string _model;
    private readonly string? _modelKey;

    private HoleTrace(SessionTelemetry session, string operation, HoleSite site, string task, int depth, HoleTrace? parent, Pipeline.Model.SessionModel? model, string? modelKey)
    {
        _session = session;
        _model = model?.Name ?? "unknown";
        _modelKey = model?.Key ?? modelKey;
        Operation = operation;
        Id = Interlocked.Increment(ref s_lastId);
        ParentId = parent?.Id;
        Site = site.Location;
        Task = task;
        Depth = depth;

        var source = HoleInstrumentation.Source;
        if (source.HasListeners())
        {
            _activity = source.StartActivity($"{(operation == FillOperation ? "hole" : "execute")} {Site}", ActivityKind.Internal);
            if (_activity is { IsAllDataRequested: true })
            {
                if (operation == FillOperation)
                {
                    _activity.SetTag(HoleTags.OperationName, "invoke_agent");
                    _activity.SetTag(HoleTags.RequestModel, _model);
                    _activity.SetTag(HoleTags.ProviderName, model?.Provider);
                    _activity.SetTag(HoleTags.ModelKey, _modelKey);
                }

                _activity.SetTag(HoleTags.Operation, operation);
                _activity.SetTag(HoleTags.Site, Site);
                _activity.SetTag(HoleTags.Task, task);
                _activity.SetTag(HoleTags.Depth, depth);
                _activity.SetTag(HoleTags.ResultType, site.ResultType);
            }
        }
    }

    /// <summary>The trace of the hole whose code is being checked or run on this async flow.</summary>
    public static HoleTrace? Current => s_current.Value;

    public long Id { get; }

    public long? ParentId { get; }

    public string Site { get; }

    public string Task { get; }

    public int Depth { get; }

    public string Operation { get; }

    public int Attempt { get; private set; }

    private ILogger Logger => _session.Logger;

    /// <summary>
    /// Starts the trace of a hole and makes it <see cref="Current"/>. Call it from the async method that runs the
    /// hole, so the change of <see cref="Current"/> stays within that method's flow.
    /// </summary>
    /// <remarks>
    /// <c>model</c> is the model the hole is filled with: <see langword="null"/> for <see cref="ExecuteOperation"/>, or
    /// when the key the hole asked for (<c>modelKey</c>) is not one of the session's.
    /// </remarks>
    public static HoleTrace Start(SessionTelemetry session, string operation, HoleSite site, string task, int depth, Pipeline.Model.SessionModel? model = null, string? modelKey = null)
    {
        var trace = new HoleTrace(session, operation, site, task, depth, s_current.Value, model, modelKey);
        s_current.Value = trace;
        HoleLog.HoleStarted(session.Logger, trace.Id, trace.Site, depth, operation, task);
        trace.Report(HoleProgressStage.Started);
        return trace;
    }

    public void StartAttempt(int attempt)
    {
        EndAttempt();
        Attempt = attempt;
        _attemptOutcome = null;
        if (_activity is not null)
        {
            _attempt = HoleInstrumentation.Source.StartActivity($"attempt {attempt}", ActivityKind.Internal, _activity.Context);
            _attempt?.SetTag(HoleTags.Attempt, attempt);
        }

        if (Operation == FillOperation)
        {
            _attempt?.SetTag(HoleTags.RequestModel, _model);
            _attempt?.SetTag(HoleTags.ModelKey, _modelKey);
            HoleLog.ModelCalled(Logger, Id, Site, attempt, _model, _modelKey ?? AgentSession.DefaultModelKey);
            Report(HoleProgressStage.WaitingForModel);
        }
        else
        {
            Report(HoleProgressStage.Checking);
        }
    }

    public void ModelRetrying(int retry, int maxRetries, TimeSpan delay, Exception failure)
    {
        var errorType = failure.GetType().FullName ?? failure.GetType().Name;
        if (HoleInstrumentation.ModelRetries.Enabled)
        {
            HoleInstrumentation.ModelRetries.Add(1, new(HoleTags.RequestModel, _model), new(HoleTags.ModelKey, _modelKey), new(HoleTags.ErrorType, errorType));
        }

        _attempt?.AddEvent(new ActivityEvent("holes.model.retry", tags: new ActivityTagsCollection
        {
            ["holes.retry"] = retry,
            ["holes.retry.delay_ms"] = (long)delay.TotalMilliseconds,
            [HoleTags.ErrorType] = errorType,
        }));

        var detail = Pipeline.Model.FailureText.Describe(failure);
        if (Logger.IsEnabled(LogLevel.Warning))
        {
            HoleLog.ModelRetrying(Logger, Id, Site, Attempt, _model, detail, retry, maxRetries, (long)delay.TotalMilliseconds);
        }

        Report(HoleProgressStage.RetryingModel, detail, delay);
    }

    public void ModelAnswered(string? responseModel, long? input, long? output, TimeSpan elapsed)
    {
        if (input is { } i)
        {
            _inputTokens = (_inputTokens ?? 0) + i;
        }

        if (output is { } o)
        {
            _outputTokens = (_outputTokens ?? 0) + o;
        }

        var model = new KeyValuePair<string, object?>(HoleTags.RequestModel, _model);
        var key = new KeyValuePair<string, object?>(HoleTags.ModelKey, _modelKey);
        if (HoleInstrumentation.ModelCalls.Enabled)
        {
            HoleInstrumentation.ModelCalls.Add(1, model, key, new(HoleTags.Usage, input is null && output is null ? "unknown" : "reported"));
        }

        if (HoleInstrumentation.ModelDuration.Enabled)
        {
            HoleInstrumentation.ModelDuration.Record(elapsed.TotalSeconds, model, key);
        }

        if (HoleInstrumentation.Tokens.Enabled)
        {
            if (input is { } inTokens)
            {
                HoleInstrumentation.Tokens.Add(inTokens, model, key, new(HoleTags.TokenType, "input"));
            }

            if (output is { } outTokens)
            {
                HoleInstrumentation.Tokens.Add(outTokens, model, key, new(HoleTags.TokenType, "output"));
            }
        }

        if (_attempt is { IsAllDataRequested: true })
        {
            _attempt.SetTag(HoleTags.ResponseModel, responseModel);
            _attempt.SetTag(HoleTags.InputTokens, input);
            _attempt.SetTag(HoleTags.OutputTokens, output);
            _attempt.AddEvent(new ActivityEvent("holes.model.answered"));
        }

        if (Logger.IsEnabled(LogLevel.Debug))
        {
            HoleLog.ModelAnswered(Logger, Id, Site, Attempt, _model, _modelKey ?? AgentSession.DefaultModelKey, (long)elapsed.TotalMilliseconds,
                input?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown",
                output?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
        }

        Report(HoleProgressStage.Checking);
    }

    public void Compiled(TimeSpan elapsed, bool accepted)
    {
        var result = accepted ? "accepted" : "rejected";
        if (HoleInstrumentation.CompileDuration.Enabled)
        {
            HoleInstrumentation.CompileDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(HoleTags.CompileResult, result));
        }

        _attempt?.AddEvent(new ActivityEvent("holes.compiled", tags: new ActivityTagsCollection
        {
            ["holes.compile.duration_ms"] = elapsed.TotalMilliseconds,
            [HoleTags.CompileResult] = result,
        }));
        HoleLog.FillCompiled(Logger, Id, Site, Attempt, Math.Round(elapsed.TotalMilliseconds, 2), result);
    }

    public void Rejected(RejectionCause cause, IReadOnlyList<HoleDiagnostic> diagnostics)
    {
        var causeName = CauseName(cause);
        _attemptOutcome = cause == RejectionCause.NoCode ? "no_code" : "rejected";
        if (HoleInstrumentation.Rejections.Enabled)
        {
            HoleInstrumentation.Rejections.Add(1, new KeyValuePair<string, object?>(HoleTags.RejectionCause, causeName));
        }

        var ids = diagnostics.Select(d => d.Id).Distinct(StringComparer.Ordinal).ToArray();
        if (_attempt is { IsAllDataRequested: true })
        {
            _attempt.SetTag(HoleTags.RejectionIds, ids);
            _attempt.SetTag(HoleTags.RejectionCause, causeName);
            _attempt.AddEvent(new ActivityEvent("holes.rejected", tags: new ActivityTagsCollection
            {
                [HoleTags.RejectionCause] = causeName,
                [HoleTags.RejectionIds] = ids,
            }));
        }

        var idText = string.Join(", ", ids);
        HoleLog.FillRejected(Logger, Id, Site, Attempt, _session.MaxAttempts, causeName, idText);
        Report(HoleProgressStage.Rejected, $"{causeName}: {idText}");
    }

    public void Running()
    {
        _attempt?.AddEvent(new ActivityEvent("holes.accepted"));
        HoleLog.FillAccepted(Logger, Id, Site, Attempt);
        Report(HoleProgressStage.Running);
    }

    public void Faulted(Exception exception)
    {
        _attemptOutcome = exception is OperationCanceledException ? "cancelled" : "faulted";
        _attempt?.AddException(exception);
        HoleLog.FillFaulted(Logger, Id, Site, Attempt, exception.GetType().Name);
    }

    public void Committed(int variables)
    {
        _attemptOutcome = "accepted";
        _attempt?.AddEvent(new ActivityEvent("holes.committed", tags: new ActivityTagsCollection { ["holes.variables"] = variables }));
        HoleLog.FillCommitted(Logger, Id, Site, Attempt, variables);
    }

    /// <summary>The hole produced its value.</summary>
    public void Filled()
    {
        if (_ended)
        {
            return;
        }

        _attemptOutcome ??= "accepted";
        var elapsed = Stopwatch.GetElapsedTime(_started);
        End("filled", elapsed);
        HoleLog.HoleFilled(Logger, Id, Site, Attempt, (long)elapsed.TotalMilliseconds);
        Report(HoleProgressStage.Filled);
    }

    /// <summary>How an <see cref="AgentSession.ExecuteAsync{T}"/> call ended: its result, not an exception.</summary>
    public void Completed(HoleStatus status, Exception? exception)
    {
        switch (status)
        {
            case HoleStatus.Accepted:
                Filled();
                break;
            case HoleStatus.Rejected when !_ended:
                var elapsed = Stopwatch.GetElapsedTime(_started);
                End("rejected", elapsed);
                HoleLog.HoleFailed(Logger, LogLevel.Information, null, Id, Site, "rejected", Attempt, (long)elapsed.TotalMilliseconds);
                Report(HoleProgressStage.Failed, "rejected");
                break;
            case HoleStatus.Faulted:
                Failed(exception ?? new InvalidOperationException("The code faulted."), exception is OperationCanceledException ? "cancelled" : "faulted");
                break;
        }
    }

    /// <summary>The hole failed with <paramref name="exception"/>, which propagates to its caller.</summary>
    public void Failed(Exception exception, string? outcome = null)
    {
        if (_ended)
        {
            return;
        }

        outcome ??= OutcomeOf(exception);
        _attemptOutcome ??= outcome;
        var errorType = exception.GetType().FullName ?? exception.GetType().Name;
        if (_activity is not null)
        {
            _activity.SetStatus(ActivityStatusCode.Error, exception.Message.Length <= 500 ? exception.Message : exception.Message[..497] + "...");
            _activity.SetTag(HoleTags.ErrorType, errorType);
            _activity.AddException(exception);
        }

        if (_attempt is not null && _attemptOutcome is not ("rejected" or "no_code"))
        {
            _attempt.SetStatus(ActivityStatusCode.Error);
            _attempt.SetTag(HoleTags.ErrorType, errorType);
        }

        var elapsed = Stopwatch.GetElapsedTime(_started);
        End(outcome, elapsed, errorType);
        if (exception is HoleTimeoutException timeout)
        {
            HoleLog.HoleTimedOut(Logger, exception, Id, Site, timeout.Limit, (long)timeout.Timeout.TotalMilliseconds, timeout.Stage);
        }
        else if (outcome == "budget_exceeded")
        {
            HoleLog.HoleBudgetExceeded(Logger, exception, Id, Site, Attempt);
        }
        else
        {
            HoleLog.HoleFailed(Logger, outcome == "cancelled" ? LogLevel.Information : LogLevel.Error, exception, Id, Site, outcome, Attempt, (long)elapsed.TotalMilliseconds);
        }

        Report(HoleProgressStage.Failed, $"{outcome}: {exception.GetType().Name}");
    }

    /// <summary>Ends whatever is still open (a path that neither filled nor failed the hole).</summary>
    public void EnsureEnded()
    {
        if (!_ended)
        {
            End("unknown", Stopwatch.GetElapsedTime(_started));
        }
    }

    private void End(string outcome, TimeSpan elapsed, string? errorType = null)
    {
        _ended = true;
        EndAttempt();
        var operation = new KeyValuePair<string, object?>(HoleTags.Operation, Operation);
        var result = new KeyValuePair<string, object?>(HoleTags.Outcome, outcome);
        if (HoleInstrumentation.Holes.Enabled)
        {
            HoleInstrumentation.Holes.Add(1, operation, result);
        }

        if (HoleInstrumentation.HoleDuration.Enabled)
        {
            HoleInstrumentation.HoleDuration.Record(elapsed.TotalSeconds, operation, result);
        }

        if (_activity is not null)
        {
            if (_activity.IsAllDataRequested)
            {
                _activity.SetTag(HoleTags.Outcome, outcome);
                _activity.SetTag(HoleTags.Attempts, Attempt);
                _activity.SetTag(HoleTags.InputTokens, _inputTokens);
                _activity.SetTag(HoleTags.OutputTokens, _outputTokens);
                if (errorType is not null)
                {
                    _activity.SetTag(HoleTags.ErrorType, errorType);
                }
            }

            _activity.Stop();
        }
    }

    private void EndAttempt()
    {
        if (Attempt == 0 || _attemptOutcome is "ended")
        {
            return;
        }

        var outcome = _attemptOutcome ?? "unknown";
        if (HoleInstrumentation.Attempts.Enabled)
        {
            HoleInstrumentation.Attempts.Add(1, new KeyValuePair<string, object?>(HoleTags.Outcome, outcome));
        }

        if (_attempt is not null)
        {
            _attempt.SetTag(HoleTags.Outcome, outcome);
            _attempt.Stop();
            _attempt = null;
        }

        _attemptOutcome = "ended";
    }

    private void Report(HoleProgressStage stage, string? detail = null, TimeSpan? retryDelay = null)
    {
        if (_session.Progress is not { } progress)
        {
            return;
        }

        try
        {
            progress.Report(new HoleProgress(
                Id, ParentId, Site, Task, Depth, stage, Attempt, _session.MaxAttempts, Operation == FillOperation ? _model : null,
                DateTimeOffset.UtcNow, Stopwatch.GetElapsedTime(_started), retryDelay, detail) { ModelKey = Operation == FillOperation ? _modelKey : null });
        }
        catch (Exception ex)
        {
            // Progress is for people watching; a broken sink must not break the hole.
            HoleLog.ProgressFailed(Logger, ex, Id);
        }
    }

    private string OutcomeOf(Exception exception) => exception switch
    {
        // Every hole a spent budget stops reports it, the ones above the hole that was stopped too.
        HoleBudgetExceededException => "budget_exceeded",
        HoleException nested when nested.Location.Length > 0 && nested.Location != Site => "nested_failed",
        HoleTimeoutException => "timed_out",
        HoleModelException => "model_failed",
        HoleNoCodeException => "no_code",
        HoleRejectedException => "rejected",
        HoleAbandonedException => "abandoned",
        HoleFaultedException => "faulted",
        HoleDepthExceededException => "depth_exceeded",
        OperationCanceledException => "cancelled",
        _ => "error",
    };

    private static string CauseName(RejectionCause cause) => cause switch
    {
        RejectionCause.Compile => "compile",
        RejectionCause.Capability => "capability",
        RejectionCause.NoCode => "no_code",
        RejectionCause.RuntimeException => "runtime_exception",
        _ => cause.ToString().ToLowerInvariant(),
    };
}
