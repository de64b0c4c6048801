namespace Holes.Runtime;

/// <summary>
/// Moves <see cref="FillBudget.Stops"/> every <see cref="Period"/> while some budget's deadline is still ahead, so woven
/// loops, which look at their budget only when that count moves, also read the clock (and stop at a deadline nobody
/// else enforces, such as a function a fill returned, called later by the program) within a period of it.
/// </summary>
/// <remarks>
/// One timer for the process, not one per budget: budgets for calls into fill code are made per call and are not
/// always disposed, and a timer per budget would stay armed, holding its budget, until that budget's deadline. The
/// timer stops once the latest deadline it was told of has passed.
/// </remarks>
internal static class DeadlineClock
{
    /// <summary>How late, at most, a woven loop reads the clock after a deadline (plus the wait for a core).</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);

    private static readonly object s_gate = new();
    private static Timer? s_timer;

    /// <summary>The latest deadline told of (<see cref="Environment.TickCount64"/>).</summary>
    private static long s_until;

    /// <summary>Keeps the clock beating at least until <paramref name="deadline"/> (<see cref="Environment.TickCount64"/>).</summary>
    public static void Cover(long deadline)
    {
        // A deadline is always in the future when a budget is made, so a later one already told of means the timer runs.
        if (deadline <= Volatile.Read(ref s_until))
        {
            return;
        }

        lock (s_gate)
        {
            if (deadline <= s_until)
            {
                return;
            }

            Volatile.Write(ref s_until, deadline);
            s_timer ??= new Timer(static _ => Beat(), null, Period, Period);
        }
    }

    private static void Beat()
    {
        Interlocked.Increment(ref FillBudget.Stops);
        if (Environment.TickCount64 <= Volatile.Read(ref s_until))
        {
            return;
        }

        lock (s_gate)
        {
            // Checked again under the lock: a budget made meanwhile may have moved the deadline on.
            if (Environment.TickCount64 > s_until && s_timer is { } timer)
            {
                timer.Dispose();
                s_timer = null;
            }
        }
    }
}
