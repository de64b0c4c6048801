using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Holes.Integration.Tests;

/// <summary>
/// Tests that read process-wide state (the meter's totals, <see cref="AgentSession.Default"/>) run alone, one at a
/// time, so no other test's holes are counted or find their session.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWide
{
    public const string Name = "process-wide state";
}

/// <summary>Reports progress on the reporting thread, so a test sees every report before the hole returns.</summary>
internal sealed class Synchronous<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

/// <summary>One captured log event: its category, level, id, message and structured fields.</summary>
internal sealed record LogEvent(string Category, LogLevel Level, EventId Id, string Message, IReadOnlyDictionary<string, object?> Fields, Exception? Exception)
{
    public object? this[string field] => Fields.TryGetValue(field, out var value) ? value : null;
}

/// <summary>An <see cref="ILoggerProvider"/> that keeps every event, for assertions.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _events);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEvent> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value)
                : [];
            events.Enqueue(new LogEvent(category, logLevel, eventId, formatter(state, exception), fields, exception));
        }
    }
}
