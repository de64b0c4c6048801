namespace Holes.Pipeline.Budget;

/// <summary>What one hole and the holes below it (or a whole session) have spent; updated by parallel holes at once.</summary>
internal sealed class BudgetAccount
{
    private long _input, _output, _nested, _callsWithoutUsage;
    private HoleBudgetExceededException? _exhausted;

    /// <summary>Input tokens reported so far.</summary>
    public long InputTokens => Interlocked.Read(ref _input);

    /// <summary>Output tokens reported so far.</summary>
    public long OutputTokens => Interlocked.Read(ref _output);

    /// <summary>Holes nested below so far.</summary>
    public long NestedHoles => Interlocked.Read(ref _nested);

    /// <summary>Model calls that reported no usage, so count nothing.</summary>
    public long CallsWithoutUsage => Interlocked.Read(ref _callsWithoutUsage);

    /// <summary>Why this account's budget ran out, once it has: what it refuses from then on.</summary>
    public HoleBudgetExceededException? Exhausted => Volatile.Read(ref _exhausted);

    public void Charge(long? input, long? output)
    {
        if (input is null && output is null)
        {
            Interlocked.Increment(ref _callsWithoutUsage);
            return;
        }

        Interlocked.Add(ref _input, input ?? 0);
        Interlocked.Add(ref _output, output ?? 0);
    }

    public void AddNestedHole() => Interlocked.Increment(ref _nested);

    public void MarkExhausted(HoleBudgetExceededException exception) => Interlocked.CompareExchange(ref _exhausted, exception, null);
}
