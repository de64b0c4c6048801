using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Holes.Security.Tests.Harness;

/// <summary>
/// Everything the engine says while a case runs: its ILogger events (every level, with exceptions), its one-line notes
/// (HoleOptions.Log) and the spans it traces, with their tags and events. The test asserts no secret is in any of it.
/// </summary>
public sealed class Capture : ILoggerFactory
{
    private static readonly ConcurrentQueue<string> s_traces = new();
    private static readonly ActivityListener s_listener = Listen();
    private readonly ConcurrentQueue<string> _logs = new();

    public Capture()
    {
        // Spans are process-wide: a child runs one case at a time, so whatever arrives belongs to this one.
        GC.KeepAlive(s_listener);
        s_traces.Clear();
    }

    public IReadOnlyList<string> Logs => [.. _logs];

    /// <summary>Forgets what was captured so far (a session kept across cases).</summary>
    public void Reset()
    {
        _logs.Clear();
        s_traces.Clear();
    }

    public static IReadOnlyList<string> Traces => [.. s_traces];

    /// <summary>For HoleOptions.Log.</summary>
    public void Note(string line) => _logs.Enqueue("note: " + line);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _logs);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private static ActivityListener Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var text = $"{activity.Source.Name}/{activity.DisplayName} {activity.Status} {activity.StatusDescription} " +
                    string.Join(" ", activity.TagObjects.Select(t => $"{t.Key}={t.Value}")) + " " +
                    string.Join(" ", activity.Events.Select(e => e.Name + "{" + string.Join(",", e.Tags.Select(t => $"{t.Key}={t.Value}")) + "}"));
                s_traces.Enqueue(text);
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private sealed class Logger(string category, ConcurrentQueue<string> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            logs.Enqueue($"scope {category}: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            logs.Enqueue($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} {fields} {exception}");
        }
    }
}
