using Holes.Pipeline.Nesting;

namespace Holes.Pipeline.Commit;

/// <summary>
/// Serialises fills that write the same session variables. A fill takes the locks of every variable it assigns or
/// declares, all at once (so two fills never wait for each other crosswise), before it reads the session's values, and
/// keeps them until its commit is applied. Another fill that writes one of them waits; so a read-modify-write such as
/// <c>counter++</c> in sixteen concurrent fills leaves sixteen increments, never fifteen.
/// </summary>
/// <remarks>
/// A lock held by a hole may be taken over by a hole nested inside it (its fill is waiting on it, or running beside it):
/// the nested hole becomes the holder until it ends, then the lock returns to its ancestor. Siblings nested in the same
/// hole wait for each other like any two fills. Waiting observes the hole's cancellation and its
/// <see cref="HoleOptions.Timeout"/>, so a cycle (a hole waiting for a lock its own ancestor's sibling holds while that
/// sibling waits for the ancestor) ends as a timeout, not a hang.
/// </remarks>
internal sealed class VariableLocks
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<HoleContext>> _holders = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Takes the locks of <paramref name="names"/> for <paramref name="holder"/>; dispose the result to release them.</summary>
    public async Task<IDisposable> AcquireAsync(IReadOnlyCollection<string> names, HoleContext holder, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (names.All(name => MayTake(name, holder)))
                {
                    foreach (var name in names)
                    {
                        if (!_holders.TryGetValue(name, out var stack))
                        {
                            _holders[name] = stack = [];
                        }

                        stack.Add(holder);
                    }

                    return new Lease(this, [.. names], holder);
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether any lock is held (for tests).</summary>
    internal bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return _holders.Count == 0;
            }
        }
    }

    private bool MayTake(string name, HoleContext holder)
    {
        if (!_holders.TryGetValue(name, out var stack) || stack.Count == 0)
        {
            return true;
        }

        // The holder on top is this hole itself or one of its ancestors.
        var top = stack[^1];
        for (var h = holder; h is not null; h = h.Parent)
        {
            if (ReferenceEquals(h, top))
            {
                return true;
            }
        }

        return false;
    }

    private void Release(string[] names, HoleContext holder)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            foreach (var name in names)
            {
                if (_holders.TryGetValue(name, out var stack))
                {
                    var index = stack.LastIndexOf(holder);
                    if (index >= 0)
                    {
                        stack.RemoveAt(index);
                    }

                    if (stack.Count == 0)
                    {
                        _holders.Remove(name);
                    }
                }
            }

            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Lease(VariableLocks owner, string[] names, HoleContext holder) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(names, holder);
            }
        }
    }
}
