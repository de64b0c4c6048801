using System.Collections.Concurrent;
using System.Diagnostics;

namespace Holes.Telemetry;

/// <summary>Lock-free counters behind <see cref="HoleStats"/>; sibling holes update them concurrently.</summary>
internal sealed class StatsCounters
{
    private readonly long[] _rejections = new long[Enum.GetValues<RejectionCause>().Length];
    private readonly ConcurrentDictionary<string, ModelCounters> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ModelCounters> _keys = new(StringComparer.Ordinal);
    private long _holes, _attempts, _accepted, _faulted, _retries, _modelCalls, _modelRetries, _modelTicks, _engineTicks;

    public void Hole() => Interlocked.Increment(ref _holes);

    public void Attempt() => Interlocked.Increment(ref _attempts);

    public void Retry() => Interlocked.Increment(ref _retries);

    public void Accepted() => Interlocked.Increment(ref _accepted);

    public void Faulted() => Interlocked.Increment(ref _faulted);

    public void Rejected(RejectionCause cause) => Interlocked.Increment(ref _rejections[(int)cause]);

    public void ModelRetry() => Interlocked.Increment(ref _modelRetries);

    /// <summary>A model call returned: what it reported (null = not reported), and how long it took.</summary>
    public void ModelCall(string model, string key, long? input, long? output, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _modelCalls);
        _models.GetOrAdd(model, static _ => new ModelCounters()).Add(input, output, elapsed);
        _keys.GetOrAdd(key, static _ => new ModelCounters()).Add(input, output, elapsed);
    }

    public void ModelTime(long startTimestamp) => Interlocked.Add(ref _modelTicks, Stopwatch.GetElapsedTime(startTimestamp).Ticks);

    public void EngineTime(long startTimestamp) => Interlocked.Add(ref _engineTicks, Stopwatch.GetElapsedTime(startTimestamp).Ticks);

    public HoleStats Snapshot() => new(
        Interlocked.Read(ref _holes), Interlocked.Read(ref _attempts), Interlocked.Read(ref _accepted), Interlocked.Read(ref _faulted),
        Interlocked.Read(ref _retries),
        Enum.GetValues<RejectionCause>().ToDictionary(c => c, c => Interlocked.Read(ref _rejections[(int)c])),
        Interlocked.Read(ref _modelCalls), Interlocked.Read(ref _modelRetries),
        _models.OrderBy(m => m.Key, StringComparer.Ordinal).ToDictionary(m => m.Key, m => m.Value.Snapshot(), StringComparer.Ordinal),
        _keys.OrderBy(m => m.Key, StringComparer.Ordinal).ToDictionary(m => m.Key, m => m.Value.Snapshot(), StringComparer.Ordinal),
        TimeSpan.FromTicks(Interlocked.Read(ref _modelTicks)), TimeSpan.FromTicks(Interlocked.Read(ref _engineTicks)));

    private sealed class ModelCounters
    {
        private long _calls, _withoutUsage, _input, _output, _ticks;
        private int _inputKnown, _outputKnown;

        public void Add(long? input, long? output, TimeSpan elapsed)
        {
            Interlocked.Increment(ref _calls);
            Interlocked.Add(ref _ticks, elapsed.Ticks);
            if (input is null && output is null)
            {
                Interlocked.Increment(ref _withoutUsage);
            }

            if (input is { } i)
            {
                Interlocked.Add(ref _input, i);
                Volatile.Write(ref _inputKnown, 1);
            }

            if (output is { } o)
            {
                Interlocked.Add(ref _output, o);
                Volatile.Write(ref _outputKnown, 1);
            }
        }

        public ModelStats Snapshot() => new(
            Interlocked.Read(ref _calls), Interlocked.Read(ref _withoutUsage),
            Volatile.Read(ref _inputKnown) == 1 ? Interlocked.Read(ref _input) : null,
            Volatile.Read(ref _outputKnown) == 1 ? Interlocked.Read(ref _output) : null,
            TimeSpan.FromTicks(Interlocked.Read(ref _ticks)));
    }
}
