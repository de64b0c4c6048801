using Microsoft.Extensions.Logging;

namespace Holes.Telemetry;

/// <summary>
/// The log events of a hole's lifecycle. Event ids are stable (documented in docs/observability.md); add new events
/// with new ids, never renumber.
/// </summary>
internal static partial class HoleLog
{
    [LoggerMessage(EventId = 1, EventName = "HoleStarted", Level = LogLevel.Information,
        Message = "Hole {HoleId} at {Site} started (depth {Depth}, {Operation}): {Task}")]
    public static partial void HoleStarted(ILogger logger, long holeId, string site, int depth, string operation, string task);

    [LoggerMessage(EventId = 2, EventName = "ModelCalled", Level = LogLevel.Debug,
        Message = "Hole {HoleId} at {Site}, attempt {Attempt}: asking model {Model} ({ModelKey})")]
    public static partial void ModelCalled(ILogger logger, long holeId, string site, int attempt, string model, string modelKey);

    [LoggerMessage(EventId = 3, EventName = "ModelAnswered", Level = LogLevel.Debug,
        Message = "Hole {HoleId} at {Site}, attempt {Attempt}: model {Model} ({ModelKey}) answered in {ElapsedMs} ms ({InputTokens} tokens in, {OutputTokens} out)")]
    public static partial void ModelAnswered(ILogger logger, long holeId, string site, int attempt, string model, string modelKey, long elapsedMs, string inputTokens, string outputTokens);

    [LoggerMessage(EventId = 4, EventName = "ModelRetrying", Level = LogLevel.Warning,
        Message = "Hole {HoleId} at {Site}, attempt {Attempt}: model {Model} failed with a transient error ({Failure}); retry {Retry} of {MaxRetries} in {DelayMs} ms")]
    public static partial void ModelRetrying(ILogger logger, long holeId, string site, int attempt, string model, string failure, int retry, int maxRetries, long delayMs);

    [LoggerMessage(EventId = 5, EventName = "FillCompiled", Level = LogLevel.Debug,
        Message = "Hole {HoleId} at {Site}, attempt {Attempt}: compiled and verified in {ElapsedMs} ms ({CompileResult})")]
    public static partial void FillCompiled(ILogger logger, long holeId, string site, int attempt, double elapsedMs, string compileResult);

    [LoggerMessage(EventId = 6, EventName = "FillRejected", Level = LogLevel.Information,
        Message = "Hole {HoleId} at {Site}, attempt {Attempt} of {MaxAttempts}: rejected ({Cause}): {DiagnosticIds}")]
    public static partial void FillRejected(ILogger logger, long holeId, string site, int attempt, int maxAttempts, string cause, string diagnosticIds);

    [LoggerMessage(EventId = 7, EventName = "FillAccepted", Level = LogLevel.Debug,
        Message = "Hole {HoleId} at {Site}, attempt {Attempt}: passed every check; running")]
    public static partial void FillAccepted(ILogger logger, long holeId, string site, int attempt);

    [LoggerMessage(EventId = 8, EventName = "FillFaulted", Level = LogLevel.Warning,
        Message = "Hole {HoleId} at {Site}, attempt {Attempt}: the fill threw {ExceptionType}; nothing was committed")]
    public static partial void FillFaulted(ILogger logger, long holeId, string site, int attempt, string exceptionType);

    [LoggerMessage(EventId = 9, EventName = "FillCommitted", Level = LogLevel.Debug,
        Message = "Hole {HoleId} at {Site}, attempt {Attempt}: committed; the session has {Variables} variables")]
    public static partial void FillCommitted(ILogger logger, long holeId, string site, int attempt, int variables);

    [LoggerMessage(EventId = 10, EventName = "HoleFilled", Level = LogLevel.Information,
        Message = "Hole {HoleId} at {Site} filled on attempt {Attempt} in {ElapsedMs} ms")]
    public static partial void HoleFilled(ILogger logger, long holeId, string site, int attempt, long elapsedMs);

    [LoggerMessage(EventId = 11, EventName = "HoleFailed",
        Message = "Hole {HoleId} at {Site} failed ({Outcome}) after {Attempt} attempt(s) in {ElapsedMs} ms")]
    public static partial void HoleFailed(ILogger logger, LogLevel level, Exception? exception, long holeId, string site, string outcome, int attempt, long elapsedMs);

    [LoggerMessage(EventId = 12, EventName = "HoleTimedOut", Level = LogLevel.Error,
        Message = "Hole {HoleId} at {Site} timed out: {Limit} = {LimitMs} ms ran out while {Stage}")]
    public static partial void HoleTimedOut(ILogger logger, Exception exception, long holeId, string site, string limit, long limitMs, string stage);

    [LoggerMessage(EventId = 13, EventName = "HoleBudgetExceeded", Level = LogLevel.Error,
        Message = "Hole {HoleId} at {Site} ran out of its budget after {Attempt} attempt(s)")]
    public static partial void HoleBudgetExceeded(ILogger logger, Exception exception, long holeId, string site, int attempt);

    [LoggerMessage(EventId = 14, EventName = "ProgressFailed", Level = LogLevel.Warning,
        Message = "HoleOptions.Progress threw while told about hole {HoleId}; the hole carries on")]
    public static partial void ProgressFailed(ILogger logger, Exception exception, long holeId);

    [LoggerMessage(EventId = 15, EventName = "DefaultSessionSet", Level = LogLevel.Debug,
        Message = "AgentSession.Default is now the session registered by AddHoles(); holes outside any other session use it")]
    public static partial void DefaultSessionSet(ILogger logger);

    [LoggerMessage(EventId = 16, EventName = "BudgetUsageUnknown", Level = LogLevel.Warning,
        Message = "A model call of the hole at {Site} (model {ModelKey}: {Model}) reported no token usage; under a token budget it counts nothing, so the budget cannot be enforced for such calls (logged once per session)")]
    public static partial void BudgetUsageUnknown(ILogger logger, string site, string modelKey, string model);
}
