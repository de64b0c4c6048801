using System.Diagnostics;

namespace Holes.Telemetry;

/// <summary>Lock-free counters behind <see cref="HoleStats"/>; sibling holes update them concurrently.</summary>
internal sealed class StatsCounters
{
    private readonly long[] _rejections = new long[Enum.GetValues<RejectionCause>().Length];
    private long _holes, _attempts, _accepted, _faulted, _retries, _inputTokens, _outputTokens, _modelTicks, _engineTicks;

    public void Hole() => Interlocked.Increment(ref _holes);

    public void Attempt() => Interlocked.Increment(ref _attempts);

    public void Retry() => Interlocked.Increment(ref _retries);

    public void Accepted() => Interlocked.Increment(ref _accepted);

    public void Faulted() => Interlocked.Increment(ref _faulted);

    public void Rejected(RejectionCause cause) => Interlocked.Increment(ref _rejections[(int)cause]);

    public void Tokens(long? input, long? output)
    {
        Interlocked.Add(ref _inputTokens, input ?? 0);
        Interlocked.Add(ref _outputTokens, output ?? 0);
    }

    public void ModelTime(long startTimestamp) => Interlocked.Add(ref _modelTicks, Stopwatch.GetElapsedTime(startTimestamp).Ticks);

    public void EngineTime(long startTimestamp) => Interlocked.Add(ref _engineTicks, Stopwatch.GetElapsedTime(startTimestamp).Ticks);

    public HoleStats Snapshot() => new(
        Interlocked.Read(ref _holes), Interlocked.Read(ref _attempts), Interlocked.Read(ref _accepted), Interlocked.Read(ref _faulted),
        Interlocked.Read(ref _retries),
        Enum.GetValues<RejectionCause>().ToDictionary(c => c, c => Interlocked.Read(ref _rejections[(int)c])),
        Interlocked.Read(ref _inputTokens), Interlocked.Read(ref _outputTokens),
        TimeSpan.FromTicks(Interlocked.Read(ref _modelTicks)), TimeSpan.FromTicks(Interlocked.Read(ref _engineTicks)));
}
