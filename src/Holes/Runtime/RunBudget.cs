namespace Holes.Runtime;

/// <summary>Why a <see cref="RunBudget"/> stopped.</summary>
internal enum BudgetStop
{
    /// <summary>Still running.</summary>
    None = 0,

    /// <summary>The caller's cancellation token (or a parent's budget) was cancelled.</summary>
    Cancelled = 1,

    /// <summary>The wall-time limit passed.</summary>
    TimedOut = 2,

    /// <summary>The fill (or call) that owns the budget ended: anything it left running must stop.</summary>
    Ended = 3,

    /// <summary>Fill code recursed past its stack budget; the thread that did is parked.</summary>
    StackExhausted = 4,
}

/// <summary>
/// The budget of one running fill (or of one call into fill code from outside a fill): a wall-time deadline and a
/// cancellation token. Once stopped it stays stopped, and every budget check of code running under it throws. Its
/// <see cref="Token"/> is cancelled at the same moment, so nested holes the fill started stop with it.
/// </summary>
internal sealed class RunBudget : IDisposable
{
    private readonly CancellationTokenSource _stopped = new();
    private readonly long _deadline;
    private readonly TimeSpan? _limit;
    private CancellationTokenRegistration _registration;
    private readonly TaskCompletionSource _parked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _isStopped;
    private int _reason;

    /// <summary>Creates a budget that stops when <paramref name="limit"/> has passed (none when null) or <paramref name="cancellationToken"/> is cancelled.</summary>
    public RunBudget(TimeSpan? limit, CancellationToken cancellationToken)
    {
        _limit = limit;
        _deadline = limit is { } l ? Environment.TickCount64 + Math.Max(1, (long)Math.Ceiling(l.TotalMilliseconds)) : long.MaxValue;
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static state => ((RunBudget)state!).Stop(BudgetStop.Cancelled), this);
        }

        if (limit is not null)
        {
            // Woven loops look at their budget only when FillBudget.Stops moves; the clock moves it while this
            // deadline is ahead, so they read the clock (ThrowIfStopped) at least that often.
            DeadlineClock.Cover(_deadline);
        }
    }

    /// <summary>A budget for one call into fill code from outside any fill.</summary>
    public static RunBudget ForCall(TimeSpan? limit) => new(limit, CancellationToken.None);

    /// <summary>Whether the budget has stopped; every check under it now throws.</summary>
    public bool IsStopped => _isStopped;

    /// <summary>Why it stopped.</summary>
    public BudgetStop Reason => (BudgetStop)Volatile.Read(ref _reason);

    /// <summary>The wall-time limit, if any.</summary>
    public TimeSpan? Limit => _limit;

    /// <summary>Cancelled when the budget stops: nested holes and model calls the fill started observe it.</summary>
    public CancellationToken Token => _stopped.Token;

    /// <summary>What the isolated worker does instead of parking: it ends the process, and the host replaces it.</summary>
    internal static Action? StackExhausted { get; set; }

    /// <summary>Completes when a thread running under this budget was parked at the stack budget (the hole is over then).</summary>
    public Task Parked => _parked.Task;

    /// <summary>
    /// Fill code on this thread went past its stack budget: stops the budget, tells the hole, and never returns. The
    /// thread is not unwound: unwinding thousands of frames through handlers that catch and rethrow (a comparer inside
    /// List.Sort, a fill's own catch-and-wrap) nests one exception dispatch per level on top of the stack, which can
    /// overflow the real stack and end the process. A parked thread costs its stack, and nothing else.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public void ParkForStack()
    {
        StackExhausted?.Invoke();
        Stop(BudgetStop.StackExhausted);
        _parked.TrySetResult();
        while (true)
        {
            Thread.Sleep(Timeout.Infinite);
        }
    }

    /// <summary>Stops the budget (the first reason wins).</summary>
    public void Stop(BudgetStop reason)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, 0) != 0)
        {
            return;
        }

        _isStopped = true;

        // After the flag: a loop that sees the count move then sees the budget stopped.
        Interlocked.Increment(ref FillBudget.Stops);
        try
        {
            _stopped.Cancel();
        }
        catch (AggregateException)
        {
            // A callback of a nested hole threw while being cancelled; the budget is stopped all the same.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Throws if the budget is spent: stopped, or past its deadline (which stops it).</summary>
    public void ThrowIfStopped()
    {
        if (!_isStopped && _deadline != long.MaxValue && Environment.TickCount64 >= _deadline)
        {
            Stop(BudgetStop.TimedOut);
        }

        if (_isStopped)
        {
            throw Exception();
        }
    }

    /// <summary>What a check under a stopped budget throws.</summary>
    public OperationCanceledException Exception() => Reason switch
    {
        BudgetStop.TimedOut => new OperationCanceledException(
            $"The hole's time budget ({(_limit is { } l ? HoleTimeoutException.Duration(l) : "HoleOptions.Timeout")}) ran out; the fill was stopped at its next budget check.", null, Token),
        BudgetStop.StackExhausted => new OperationCanceledException(
            "The fill recursed past its stack budget and was stopped.", null, Token),
        BudgetStop.Ended => new OperationCanceledException(
            "The fill that started this work has ended, so its leftover work was stopped: a fill must await everything it starts before it returns.", null, Token),
        _ => new OperationCanceledException("The hole was cancelled; the fill was stopped at its next budget check.", null, Token),
    };

    public void Dispose()
    {
        _registration.Dispose();
        _registration = default;
    }
}
