using Holes.Runtime;

namespace Holes.Pipeline.Run;

/// <summary>
/// Where a fill's code runs: a thread of its own with a large stack (so deep recursion meets the budget's stack check,
/// not the end of a small stack), under a <see cref="SynchronizationContext"/> the engine owns. Continuations of the
/// fill's awaits come back to this thread; when the fill's task has finished, the work already queued here is run
/// (drained) before the fill's outcome is reported, and the thread ends. Work posted after that (a continuation of
/// something the fill did not await) runs on the thread pool, under the fill's budget, which by then is stopped, so
/// fill code there throws at its first check.
/// </summary>
/// <remarks>
/// The caller does not wait on this thread: it waits on a task, with its deadline. A fill stuck inside a framework
/// call that never returns to fill code keeps this thread busy, but the hole returns at its deadline all the same.
/// </remarks>
internal sealed class FillThread : SynchronizationContext
{
    /// <summary>The stack of a fill's thread: address space is reserved, memory is committed only as it is used.</summary>
    public const int StackSize = 256 * 1024 * 1024;

    private readonly object _gate = new();
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly RunBudget _budget;
    private bool _closed;

    private FillThread(RunBudget budget) => _budget = budget;

    /// <summary>
    /// Starts <paramref name="entry"/> on a new fill thread under <paramref name="budget"/>. The task completes with the
    /// fill's value or exception once its work queued on the thread has been drained; or, if the budget stops while the
    /// fill is still waiting, with the budget's exception.
    /// </summary>
    public static Task<object?> Start(Func<Task<object?>> entry, RunBudget budget)
    {
        var completion = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var context = new FillThread(budget);

        // Thread.Start flows the caller's execution context: the hole (HoleContext.Current) and the session go with it.
        var thread = new Thread(() => context.Run(entry, completion), StackSize) { IsBackground = true, Name = "Holes fill" };
        thread.Start();
        return completion.Task;
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _queue.Enqueue((d, state));
                Monitor.PulseAll(_gate);
                return;
            }
        }

        // The fill is over: whatever still arrives runs on the pool (its budget is stopped, so fill code throws there).
        Late(d, state);
    }

    /// <summary>Runs <paramref name="d"/> on the calling thread, as the default context does (nothing in a fill waits on it).</summary>
    public override void Send(SendOrPostCallback d, object? state) => d(state);

    public override SynchronizationContext CreateCopy() => this;

    private void Run(Func<Task<object?>> entry, TaskCompletionSource<object?> completion)
    {
        SetSynchronizationContext(this);
        using var stack = FillBudget.StartStackBudget();
        using var scope = FillBudget.Use(_budget);
        Task<object?> task;
        try
        {
            task = entry();
        }
        catch (Exception ex)
        {
            Close();
            completion.TrySetException(ex);
            return;
        }

        if (!task.IsCompleted)
        {
            // Wake the loop when the fill finishes or its budget stops.
            task.ContinueWith(static (_, state) => ((FillThread)state!).Wake(), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            using var registration = _budget.Token.UnsafeRegister(static state => ((FillThread)state!).Wake(), this);
            bool Done() => task.IsCompleted || _budget.IsStopped;
            while (!Done())
            {
                RunNext(Done);
            }
        }

        // Drain: continuations already queued when the fill finished run before its outcome is reported (only those:
        // work that keeps posting more, such as a loop of Task.Yield the fill did not await, is not waited for).
        int queued;
        lock (_gate)
        {
            queued = _queue.Count;
        }

        for (var i = 0; i < queued && RunNext(null); i++)
        {
        }

        Close();
        if (task.IsCompleted)
        {
            Complete(task, completion);
        }
        else
        {
            completion.TrySetException(_budget.Exception());
            task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    private static void Complete(Task<object?> task, TaskCompletionSource<object?> completion)
    {
        if (task.IsCompletedSuccessfully)
        {
            completion.TrySetResult(task.Result);
        }
        else if (task.IsCanceled)
        {
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException ex)
            {
                completion.TrySetException(ex);
            }
        }
        else
        {
            completion.TrySetException(task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception);
        }
    }

    /// <summary>
    /// Runs one queued callback. With <paramref name="done"/>, waits for one unless <paramref name="done"/> says the
    /// fill is over (checked under the lock, so a wake-up between the check and the wait is not lost).
    /// </summary>
    private bool RunNext(Func<bool>? done)
    {
        (SendOrPostCallback Callback, object? State) next;
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                if (done is null || done())
                {
                    return false;
                }

                Monitor.Wait(_gate);
                if (_queue.Count == 0)
                {
                    return false;
                }
            }

            next = _queue.Dequeue();
        }

        // An exception escaping a posted callback would end the thread; async continuations catch their own.
        try
        {
            next.Callback(next.State);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
        }

        return true;
    }

    /// <summary>
    /// Runs work that arrived after the fill ended on the pool. What it throws (a budget check of leftover fill code,
    /// or anything an <c>async void</c> posts back) is dropped rather than allowed to end the process.
    /// </summary>
    private static void Late(SendOrPostCallback callback, object? state) =>
        ThreadPool.QueueUserWorkItem(static s =>
        {
            try
            {
                s.Callback(s.State);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
            }
        }, (Callback: callback, State: state), preferLocal: false);

    private void Wake()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    private void Close()
    {
        lock (_gate)
        {
            _closed = true;
            while (_queue.TryDequeue(out var late))
            {
                Late(late.Callback, late.State);
            }
        }
    }
}
