using System.Diagnostics;
using Holes.Runtime;
using Holes.Telemetry;
using Holes.Testing;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Holes.Benchmarks;

/// <summary>
/// What logging, tracing and metrics cost per fill. (1) With nothing listening, the instrumentation a fill runs
/// through (a trace started and ended, its attempt, compile, accept and commit steps) is timed on its own, many
/// thousand times, and set against the engine's time per fill: a whole-fill A/B could not resolve 2% on a busy
/// two-core machine. (2) With OpenTelemetry's in-memory exporters attached to the Holes source and meter and a
/// logger taking every Debug event, whole fills are timed against the same fills with nothing attached, in
/// alternating blocks.
/// </summary>
internal static class TelemetryOverhead
{
    public const double NoListenerTarget = 0.02;
    public const double ExporterTarget = 0.10;

    public static async Task RunAsync(int warmupRounds, int rounds, int isolatedIterations, Summary summary)
    {
        var fills = FillCases.All;
        var bindings = FillGlobals.Create().ToBindings();
        var logs = new CountingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        await using var plain = new AgentSession(new ScriptedChatClient());
        await using var observed = new AgentSession(new ScriptedChatClient(), null, loggerFactory);
        Console.WriteLine($"== Telemetry: {fills.Count} fills, {warmupRounds} warm-up rounds, then {rounds} timed rounds per configuration");

        var quiet = new Samples();
        var exported = new Samples();
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        for (var round = 0; round < warmupRounds + rounds; round++)
        {
            var timed = round >= warmupRounds;
            for (var k = 0; k < 2; k++)
            {
                if ((round + k) % 2 == 0)
                {
                    foreach (var fill in fills)
                    {
                        var t = Stopwatch.GetTimestamp();
                        await fill.EngineAsync(plain, bindings);
                        if (timed)
                        {
                            quiet.Add(Timing.Since(t));
                        }
                    }
                }
                else
                {
                    spans.Clear();
                    using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(HolesTelemetry.ActivitySourceName).AddInMemoryExporter(spans).Build();
                    using var metering = Sdk.CreateMeterProviderBuilder().AddMeter(HolesTelemetry.MeterName).AddInMemoryExporter(metrics).Build();
                    foreach (var fill in fills)
                    {
                        var t = Stopwatch.GetTimestamp();
                        await fill.EngineAsync(observed, bindings);
                        if (timed)
                        {
                            exported.Add(Timing.Since(t));
                        }
                    }
                }
            }
        }

        var lastBlockSpans = spans.Count;

        // Outside the timed fills: what the instrumentation of one fill costs with nothing listening.
        var perFillNs = await Task.Run(() => IsolatedNanoseconds(isolatedIterations, loggerFactory: null));
        double exportedPerFillNs;
        using (var tracing = Sdk.CreateTracerProviderBuilder().AddSource(HolesTelemetry.ActivitySourceName).AddInMemoryExporter(spans).Build())
        using (var metering = Sdk.CreateMeterProviderBuilder().AddMeter(HolesTelemetry.MeterName).AddInMemoryExporter(metrics).Build())
        {
            exportedPerFillNs = await Task.Run(() => IsolatedNanoseconds(isolatedIterations / 20, loggerFactory, spans));
        }

        var noListener = perFillNs / 1e6 / quiet.P50;
        var withExporters = (exported.P50 / quiet.P50) - 1;
        var withExportersIsolated = exportedPerFillNs / 1e6 / quiet.P50;

        Console.WriteLine($"   engine per fill, nothing listening         p50 {Timing.Ms(quiet.P50)} ms  p95 {Timing.Ms(quiet.P95)} ms  (n = {quiet.Count})");
        Console.WriteLine($"   engine per fill, in-memory exporters + logs p50 {Timing.Ms(exported.P50)} ms  p95 {Timing.Ms(exported.P95)} ms  (n = {exported.Count})");
        Console.WriteLine($"   instrumentation of one fill, nothing listening: {Timing.F(perFillNs / 1000)} us ({isolatedIterations:N0} iterations)");
        Console.WriteLine($"   instrumentation of one fill, exporters + logs: {Timing.F(exportedPerFillNs / 1000)} us ({isolatedIterations / 20:N0} iterations) = {Timing.F(withExportersIsolated * 100, "F2")} % of engine time");
        Console.WriteLine($"   spans exported in the last timed block: {lastBlockSpans}; log events taken: {logs.Count:N0}");
        Console.WriteLine($"   overhead, nothing listening   = {Timing.F(noListener * 100, "F3")} % of engine time  (target <= {NoListenerTarget * 100:0} %)  {(noListener <= NoListenerTarget ? "PASS" : "MISS")}");
        Console.WriteLine($"   overhead, exporters attached  = {Timing.F(withExporters * 100, "F1")} % (p50 vs p50)  (target <= {ExporterTarget * 100:0} %)  {(withExporters <= ExporterTarget ? "PASS" : "MISS")}");

        summary.Figure("telemetry: instrumentation per fill, no listener (us)", Timing.F(perFillNs / 1000));
        summary.Check("telemetry overhead, no listener", $"{Timing.F(noListener * 100, "F3")} %", $"<= {NoListenerTarget * 100:0} %", noListener <= NoListenerTarget);
        summary.Check("telemetry overhead, in-memory exporters (A/B)", $"{Timing.F(withExporters * 100, "F1")} %", $"<= {ExporterTarget * 100:0} %", withExporters <= ExporterTarget);
        summary.Check("telemetry overhead, in-memory exporters (isolated)", $"{Timing.F(withExportersIsolated * 100, "F2")} %", $"<= {ExporterTarget * 100:0} %", withExportersIsolated <= ExporterTarget);
    }

    /// <summary>The telemetry calls one ExecuteAsync-shaped fill makes.</summary>
    private static double IsolatedNanoseconds(int iterations, ILoggerFactory? loggerFactory, List<Activity>? exported = null)
    {
        var telemetry = new SessionTelemetry(new HoleOptions(), loggerFactory);
        var site = new HoleSite("Bench.cs", 1, 1, "Bench", "int", [], [], [], "");
        for (var i = 0; i < 10_000; i++)
        {
            OneFill(telemetry, site);
        }

        exported?.Clear();
        var t = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            OneFill(telemetry, site);
        }

        return Stopwatch.GetElapsedTime(t).TotalNanoseconds / iterations;
    }

    private static void OneFill(SessionTelemetry telemetry, HoleSite site)
    {
        var trace = HoleTrace.Start(telemetry, HoleTrace.ExecuteOperation, site, "task", 1);
        trace.StartAttempt(1);
        trace.Compiled(TimeSpan.FromMilliseconds(1), accepted: true);
        trace.Running();
        trace.Committed(3);
        trace.Completed(HoleStatus.Accepted, null);
    }

    private sealed class CountingLoggerProvider : ILoggerProvider
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CountingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                _ = formatter(state, exception);
                Interlocked.Increment(ref owner._count);
            }
        }
    }
}
