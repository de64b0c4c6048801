namespace Holes;

/// <summary>
/// The names under which Holes reports what it does, for wiring up OpenTelemetry and logging:
/// <c>.AddSource(HolesTelemetry.ActivitySourceName)</c>, <c>.AddMeter(HolesTelemetry.MeterName)</c>, and the log
/// category <see cref="LogCategory"/>. See docs/observability.md for every span, attribute, metric and event id.
/// </summary>
public static class HolesTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of hole and attempt spans: <c>Holes</c>.</summary>
    public const string ActivitySourceName = "Holes";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of hole, attempt, rejection, duration and token metrics: <c>Holes</c>.</summary>
    public const string MeterName = "Holes";

    /// <summary>The category of Holes' log events: <c>Holes</c>.</summary>
    public const string LogCategory = "Holes";
}
