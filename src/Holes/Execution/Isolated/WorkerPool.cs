namespace Holes.Execution.Isolated;

/// <summary>
/// The session's worker and one spare kept warm, so a worker killed for a budget is replaced at once: the spare is
/// promoted (after <c>prepare</c> restores the session's variables into it) and a new spare starts behind it.
/// </summary>
internal sealed class WorkerPool : IAsyncDisposable
{
    private readonly Func<Task<WorkerProcess>> _start;
    private readonly Func<WorkerProcess, Task> _prepare;
    private readonly Lock _gate = new();
    private Task<WorkerProcess>? _current;
    private Task<WorkerProcess>? _spare;
    private bool _disposed;

    public WorkerPool(Func<Task<WorkerProcess>> start, Func<WorkerProcess, Task> prepare)
    {
        _start = start;
        _prepare = prepare;
    }

    /// <summary>Starts the first worker now, and the spare once the first is up (so they do not compete at start-up).</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_current is not null)
            {
                return;
            }

            _current = _start();
            _current.ContinueWith(_ => StartSpare(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>The first worker's start, for reporting; null before <see cref="Start"/>.</summary>
    public Task<WorkerProcess>? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>The worker to run on: the current one, or its replacement if it has died.</summary>
    public async Task<WorkerProcess> GetAsync()
    {
        Task<WorkerProcess> current;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_current is null)
            {
                Start();
            }

            current = _current!;
        }

        WorkerProcess worker;
        try
        {
            worker = await current.ConfigureAwait(false);
        }
        catch (Exception) when (!ReferenceEquals(current, Current))
        {
            return await GetAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Starting it failed: try once more from scratch so a transient failure does not end the session.
            lock (_gate)
            {
                if (ReferenceEquals(_current, current))
                {
                    _current = _start();
                }

                current = _current ?? throw new ObjectDisposedException(nameof(WorkerPool));
            }

            worker = await current.ConfigureAwait(false);
        }

        return worker.HasExited ? await ReplaceAsync(worker).ConfigureAwait(false) : worker;
    }

    /// <summary>Replaces <paramref name="dead"/> (already killed or exited) with the spare; idempotent.</summary>
    public Task<WorkerProcess> ReplaceAsync(WorkerProcess dead)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_current is { IsCompletedSuccessfully: true } current && !ReferenceEquals(current.Result, dead))
            {
                return current;
            }

            if (_current is { IsCompleted: false } starting)
            {
                return starting;
            }

            var spare = _spare ?? _start();
            _spare = null;
            _current = PromoteAsync(spare);
            _current.ContinueWith(_ => StartSpare(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return _current;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<WorkerProcess>?[] workers;
        lock (_gate)
        {
            _disposed = true;
            workers = [_current, _spare];
            _current = _spare = null;
        }

        foreach (var task in workers)
        {
            if (task is null)
            {
                continue;
            }

            try
            {
                await (await task.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A worker that never started has nothing to stop.
            }
        }
    }

    private async Task<WorkerProcess> PromoteAsync(Task<WorkerProcess> spare)
    {
        WorkerProcess worker;
        try
        {
            worker = await spare.ConfigureAwait(false);
            if (worker.HasExited)
            {
                worker = await _start().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            worker = await _start().ConfigureAwait(false);
        }

        await _prepare(worker).ConfigureAwait(false);
        return worker;
    }

    private void StartSpare()
    {
        lock (_gate)
        {
            if (!_disposed && _spare is null)
            {
                _spare = _start();
                _spare.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
    }
}
