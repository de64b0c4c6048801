using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Holes.Telemetry;

/// <summary>The process-wide activity source, meter and instruments. Cheap when nothing listens.</summary>
internal static class HoleInstrumentation
{
    private static readonly string s_version = typeof(HoleInstrumentation).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    // Seconds, from a millisecond fill to a ten-minute hole.
    private static readonly InstrumentAdvice<double> s_durations = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    };

    public static readonly ActivitySource Source = new(HolesTelemetry.ActivitySourceName, s_version);

    public static readonly Meter Meter = new(HolesTelemetry.MeterName, s_version);

    public static readonly Counter<long> Holes = Meter.CreateCounter<long>(
        "holes.holes", "{hole}", "Holes that finished, by holes.outcome and holes.operation (fill: by a model; execute: AgentSession.ExecuteAsync).");

    public static readonly Counter<long> Attempts = Meter.CreateCounter<long>(
        "holes.attempts", "{attempt}", "Attempts at holes that finished, by holes.outcome.");

    public static readonly Counter<long> Rejections = Meter.CreateCounter<long>(
        "holes.rejections", "{rejection}", "Rejected attempts, by holes.rejection.cause.");

    public static readonly Histogram<double> HoleDuration = Meter.CreateHistogram(
        "holes.hole.duration", "s", "Time from reaching a hole until it was filled or failed, nested holes included.", tags: null, s_durations);

    public static readonly Histogram<double> CompileDuration = Meter.CreateHistogram(
        "holes.compile.duration", "s", "Time to compile and verify one submission, by holes.compile.result (accepted or rejected).", tags: null, s_durations);

    public static readonly Histogram<double> ModelDuration = Meter.CreateHistogram(
        "holes.model.duration", "s", "Time one model call took until its reply, retries included, by gen_ai.request.model.", tags: null, s_durations);

    public static readonly Counter<long> ModelCalls = Meter.CreateCounter<long>(
        "holes.model.calls", "{call}", "Model calls that returned a reply, by gen_ai.request.model and holes.usage (reported or unknown).");

    public static readonly Counter<long> ModelRetries = Meter.CreateCounter<long>(
        "holes.model.retries", "{retry}", "Model calls sent again after a transient failure, by gen_ai.request.model and error.type.");

    public static readonly Counter<long> Tokens = Meter.CreateCounter<long>(
        "holes.model.tokens", "{token}", "Tokens the provider reported, by gen_ai.request.model and gen_ai.token.type (input or output). Unreported usage is not estimated.");
}

/// <summary>Attribute (tag) names, in one place so spans, metrics and logs agree.</summary>
internal static class HoleTags
{
    public const string OperationName = "gen_ai.operation.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ProviderName = "gen_ai.provider.name";
    public const string ResponseModel = "gen_ai.response.model";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string TokenType = "gen_ai.token.type";
    public const string ErrorType = "error.type";

    public const string Site = "holes.site";
    public const string Task = "holes.task";
    public const string Depth = "holes.depth";
    public const string ResultType = "holes.result_type";
    public const string Operation = "holes.operation";
    public const string Outcome = "holes.outcome";
    public const string Attempt = "holes.attempt";
    public const string Attempts = "holes.attempts";
    public const string RejectionIds = "holes.rejection_ids";
    public const string RejectionCause = "holes.rejection.cause";
    public const string CompileResult = "holes.compile.result";
    public const string Usage = "holes.usage";

    /// <summary>The key of the session's model a hole is filled with (<c>default</c> for the session's own client).</summary>
    public const string ModelKey = "holes.model.key";
}
