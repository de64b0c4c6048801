using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Holes.Runtime;

/// <summary>
/// The budget checks the engine weaves into a fill's compiled code: one at the entry of every method (lambdas, local
/// functions, iterator and async state machines included) and one before every backward branch (every loop, <c>goto</c>
/// included; it calls in only when some budget has stopped since, see <see cref="Stops"/>), plus guards on
/// <c>stackalloc</c>, <c>Task.Result</c> and regular-expression timeouts. Only code the engine weaves calls this type;
/// fills cannot name it.
/// </summary>
/// <remarks>
/// The budget in force is the one on the running code's async flow (an <see cref="AsyncLocal{T}"/>, mirrored into a
/// thread-static). The entry check looks at it only every <see cref="CheckEvery"/> entries, when any budget stopped
/// (<see cref="Stops"/> moved), or when the budget in force on the thread changed; in between it counts, on one fill
/// thread without touching thread-local storage (<see cref="FastEntryThread"/>). Fill code that runs with no budget on
/// its flow (a function a fill left inside some other object, called by the program after the hole ended) is refused
/// at its first check; a function that calls nothing and has no loop has no check (it cannot run away) and runs.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FillBudget
{
    /// <summary>How many checks pass between two full checks (the clock, the stack).</summary>
    private const int CheckEvery = 16;

    /// <summary>The largest <c>stackalloc</c> a fill may make, in bytes.</summary>
    internal const int StackallocLimit = 64 * 1024;

    /// <summary>The longest match timeout a fill may give a regular expression.</summary>
    internal static readonly TimeSpan RegexTimeoutLimit = TimeSpan.FromSeconds(10);

    [ThreadStatic]
    private static RunBudget? t_current;

    /// <summary>On a fill's own thread, the lowest stack address fill code may reach (the stack grows down); else 0.</summary>
    [ThreadStatic]
    private static nuint t_stackLimit;

    /// <summary>How much of its thread's stack a fill's own recursion may use.</summary>
    internal const int RecursionStack = 8 * 1024 * 1024;

    /// <summary>
    /// Counts the budgets that have stopped, process-wide. Woven loops read it at their method's entry and compare it
    /// on every backward branch, calling <see cref="Tick"/> only when it moved: two loads and a compare, with no
    /// store and no dependency from one iteration to the next, where a countdown in a local stores on every
    /// iteration. While a budget's deadline is ahead, <see cref="DeadlineClock"/> moves it every few milliseconds too, so
    /// loops also read the clock.
    /// </summary>
    /// <remarks>
    /// Public only because woven fill code reads it; fills cannot name it (the capability rules deny the engine's runtime types),
    /// and only <see cref="RunBudget.Stop"/> writes it. It is compared for equality only, so wrapping around is harmless.
    /// </remarks>
#pragma warning disable CA2211 // A field, not a property: the woven loop reads it with one instruction, with no call to inline.
    public static int Stops;
#pragma warning restore CA2211

    /// <summary>
    /// Method entries this thread may still make before the next full check; 0 forces one (set whenever the budget in
    /// force on the thread changes, so code with no budget is refused at its first entry).
    /// </summary>
    [ThreadStatic]
    private static int t_entriesLeft;

    /// <summary>The value of <see cref="Stops"/> this thread read at its last full check, before checking its budget.</summary>
    [ThreadStatic]
    private static int t_stopsSeen;

    /// <summary>The fill thread whose entry checks take the fast path, if any (see <see cref="FastEntryThread"/>).</summary>
    private static FastEntryThread? s_fast;

    private static readonly AsyncLocal<RunBudget?> s_flow = new(static change =>
    {
        t_current = change.CurrentValue;
        t_entriesLeft = 0;
        if (s_fast is { } fast && fast.Holds(StackPointer()))
        {
            fast.Left = 0;
        }
    });

    /// <summary>The budget of the code running on this flow, if any.</summary>
    internal static RunBudget? Current => s_flow.Value;

    /// <summary>The check at the entry of every method of a fill: throws once its budget is spent, or when the stack runs low.</summary>
    // Optimized from its first call: fill code is compiled (JIT) all the time, which keeps postponing tiered
    // compilation's promotion of hot methods, so a tiered Enter could run unoptimized for a long while.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Enter()
    {
        // A count of entries, and whether any budget stopped since this thread last looked at its own (a stop moves
        // Stops after it marks the budget, so none is missed): on the fast fill thread, found by the address of this
        // frame, with no thread-local storage; elsewhere in thread-statics. Below the recursion limit the address is out
        // of the fast thread's range, so the thread-static path, and soon the full check, throws.
        byte marker = 0;
        if (s_fast is { } fast && fast.Holds((nuint)(&marker)))
        {
            if (--fast.Left <= 0 || Volatile.Read(ref Stops) != fast.Stops)
            {
                EnterSlow();
            }

            return;
        }

        if (--t_entriesLeft <= 0 || Volatile.Read(ref Stops) != t_stopsSeen)
        {
            EnterSlow();
        }
    }

    /// <summary>
    /// The loop check: woven code calls this when <see cref="Stops"/> moved since the loop's method last looked (or, in
    /// a method with no entry check, once every few dozen backward branches). Never inlined: the loop keeps only its
    /// comparison on the hot path.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Tick()
    {
        var budget = t_current ?? throw NoBudget();
        budget.ThrowIfStopped();
    }

    /// <summary>Checks the size of a <c>stackalloc</c> before it is made, and that the stack has room for it.</summary>
    /// <param name="bytes">The size asked for.</param>
    /// <returns><paramref name="bytes"/>, when it is allowed.</returns>
    /// <exception cref="InsufficientExecutionStackException">The size is over the limit, or the stack is nearly full.</exception>
    public static nuint Stackalloc(nuint bytes)
    {
        if (bytes > StackallocLimit)
        {
            throw new InsufficientExecutionStackException(
                $"A stackalloc of {bytes} bytes is over the limit for fills ({StackallocLimit / 1024} KB). Allocate an array instead (new T[n]).");
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
        return bytes;
    }

    /// <summary>
    /// <see cref="Task{TResult}.Result"/> without blocking: the value of a task that has finished; a task that has not
    /// is not waited for (a blocked thread cannot be stopped by the budget).
    /// </summary>
    /// <typeparam name="T">The task's value type.</typeparam>
    /// <param name="task">The task.</param>
    /// <returns>Its value.</returns>
    /// <exception cref="InvalidOperationException">The task has not finished.</exception>
    public static T TaskResult<T>(Task<T> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!task.IsCompleted)
        {
            throw NotFinished();
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary><see cref="ValueTask{TResult}.Result"/> without blocking, as <see cref="TaskResult{T}"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="task">The value task.</param>
    /// <returns>Its value.</returns>
    /// <exception cref="InvalidOperationException">The task has not finished.</exception>
    public static T ValueTaskResult<T>(ref ValueTask<T> task)
    {
        if (!task.IsCompleted)
        {
            throw NotFinished();
        }

        return task.Result;
    }

    /// <summary>Checks a match timeout a fill gives a regular expression: positive and at most 10 seconds.</summary>
    /// <param name="timeout">The timeout.</param>
    /// <returns><paramref name="timeout"/>, when it is allowed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">It is infinite, not positive, or longer than 10 seconds.</exception>
    public static TimeSpan RegexTimeout(TimeSpan timeout)
    {
        if (timeout == Regex.InfiniteMatchTimeout || timeout <= TimeSpan.Zero || timeout > RegexTimeoutLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout,
                $"A regular expression in a fill needs a match timeout between 1 ms and {RegexTimeoutLimit.TotalSeconds:0} s (it was {Describe(timeout)}): " +
                "a backtracking match can run for hours and cannot be stopped otherwise. Use e.g. TimeSpan.FromSeconds(1), or RegexOptions.NonBacktracking.");
        }

        return timeout;
    }

    /// <summary>Makes <paramref name="budget"/> the one in force on this flow until the scope is disposed.</summary>
    internal static Scope Use(RunBudget? budget)
    {
        var previous = s_flow.Value;
        s_flow.Value = budget;
        return new Scope(previous);
    }

    /// <summary>
    /// A call into fill code from outside a fill (a function or lazy sequence a fill returned or stored): under the
    /// running fill's budget when there is one on this flow, else under a budget of its own of <paramref name="limit"/>.
    /// </summary>
    internal static TResult Call<TResult>(TimeSpan? limit, Func<TResult> body)
    {
        var current = s_flow.Value;
        if (current is not null)
        {
            current.ThrowIfStopped();
            return body();
        }

        var budget = RunBudget.ForCall(limit);
        using (Use(budget))
        {
            return body();
        }
    }

    /// <summary>
    /// A step of a longer use of fill code from outside a fill (one <c>MoveNext</c> of a sequence the fill handed out):
    /// under the running fill's budget when there is one on this flow, else under <paramref name="budget"/>, the budget
    /// of the whole use (one enumeration).
    /// </summary>
    internal static TResult Step<TResult>(RunBudget budget, Func<TResult> body)
    {
        var current = s_flow.Value;
        if (current is not null)
        {
            current.ThrowIfStopped();
            return body();
        }

        budget.ThrowIfStopped();
        using (Use(budget))
        {
            return body();
        }
    }

    /// <summary>As <see cref="Call{TResult}(TimeSpan?, Func{TResult})"/>, for a call that returns nothing.</summary>
    internal static void Call(TimeSpan? limit, Action body) => Call<object?>(limit, () =>
    {
        body();
        return null;
    });

    // Every CheckEvery-th entry comes here: optimized from the start, as Enter is.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void EnterSlow()
    {
        var budget = t_current;
        if (budget is null)
        {
            t_entriesLeft = 0;
            throw NoBudget();
        }

        // Stops is read before the budget is: a stop that comes later moves it past what is remembered here.
        var stops = Volatile.Read(ref Stops);
        t_stopsSeen = stops;
        t_entriesLeft = CheckEvery;
        if (s_fast is { } fast && fast.Holds(StackPointer()))
        {
            fast.Stops = stops;
            fast.Left = CheckEvery;
        }

        budget.ThrowIfStopped();
        if (StackPointer() < t_stackLimit || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            // Past the recursion budget on a fill thread, or (fill code off its own thread, a framework callback on a
            // pool thread) with the stack nearly gone. The thread will never run fill code again: the fast path goes to
            // the next fill thread.
            if (s_fast is { } held && held.Low == t_stackLimit)
            {
                Interlocked.CompareExchange(ref s_fast, null, held);
            }

            budget.ParkForStack();
        }
    }

    /// <summary>
    /// Marks the calling thread as a fill's thread until the scope is disposed: fill code on it may use
    /// <see cref="RecursionStack"/> bytes of stack below this point; and when no other fill thread holds the fast path
    /// of the entry checks, this one takes it.
    /// </summary>
    internal static StackBudget StartStackBudget()
    {
        var top = StackPointer();
        t_stackLimit = top - RecursionStack;
        var fast = new FastEntryThread(t_stackLimit, RecursionStack);
        return new StackBudget(Interlocked.CompareExchange(ref s_fast, fast, null) is null ? fast : null);
    }

    /// <summary>Gives up the fast path of the entry checks, if the thread holds it; before the thread ends.</summary>
    internal readonly struct StackBudget(FastEntryThread? fast) : IDisposable
    {
        /// <summary>Whether this thread took the fast path of the entry checks.</summary>
        public bool HoldsFastPath => fast is not null;

        public void Dispose()
        {
            if (fast is not null)
            {
                Interlocked.CompareExchange(ref s_fast, null, fast);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe nuint StackPointer()
    {
        byte marker = 0;
        return (nuint)(&marker);
    }

    private static InvalidOperationException NotFinished() => new(
        "Task.Result was read before the task finished; fills may not block a thread waiting for one (the budget could not stop it). " +
        "Await the task instead: 'var value = await task;'.");

    private static InvalidOperationException NoBudget() => new(
        "This code was written by a fill, and it ran outside any hole after that hole had ended (a function or lazy sequence the fill " +
        "left inside another object, called later by the program). Fill code runs only under a budget: call it from a later hole, or have " +
        "the hole return the function or sequence itself (or declare it as a session variable), so each call gets a budget of its own.");

    private static string Describe(TimeSpan timeout) =>
        timeout == Regex.InfiniteMatchTimeout ? "infinite" : timeout.TotalSeconds >= 1 ? $"{timeout.TotalSeconds:0.###} s" : $"{timeout.TotalMilliseconds:0.###} ms";

    /// <summary>Restores the budget that was in force before <see cref="Use"/>.</summary>
    internal readonly struct Scope(RunBudget? previous) : IDisposable
    {
        public void Dispose() => s_flow.Value = previous;
    }
}
