using ForgetLab.Core.Jobs;

namespace ForgetLab.Worker.Outages;

/// <summary>
/// A job's events waiting to be relayed, in order, bounded. While the server or storage is unreachable the
/// worker relays nothing, but the job trains on: its events wait here. A <see cref="TrainingProgress"/> event that follows
/// another replaces it (only the newest step and loss matter to the run), so a long outage costs one slot,
/// not one per step. Other events (checkpoints, evaluations, the end) are never dropped: when
/// <see cref="Capacity"/> of them wait, <see cref="Add"/> waits too, the job's stdout fills, and the job
/// pauses until the worker catches up — it is held, never lost.
/// </summary>
public sealed class JobEventBuffer(int capacity)
{
    private readonly LinkedList<JobEvent> _events = new();
    private readonly SemaphoreSlim _changed = new(0);
    private bool _completed;

    public int Capacity => capacity;

    public int Count
    {
        get
        {
            lock (_events) return _events.Count;
        }
    }

    /// <summary>Adds the event (or folds a progress event into the progress event before it); waits while the buffer is full.</summary>
    public async Task Add(JobEvent e, CancellationToken cancel = default)
    {
        while (true)
        {
            lock (_events)
            {
                if (e is TrainingProgress && _events.Last is { Value: TrainingProgress } last)
                {
                    last.Value = e;
                    return;
                }

                if (_events.Count < capacity)
                {
                    _events.AddLast(e);
                    Signal();
                    return;
                }
            }

            await _changed.WaitAsync(cancel);
        }
    }

    /// <summary>No more events will come (the job's stdout ended).</summary>
    public void Complete()
    {
        lock (_events)
        {
            _completed = true;
            Signal();
        }
    }

    public async IAsyncEnumerable<JobEvent> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel = default)
    {
        while (true)
        {
            JobEvent? next = null;
            var done = false;
            lock (_events)
            {
                if (_events.First is { } first)
                {
                    next = first.Value;
                    _events.RemoveFirst();
                    Signal();
                }
                else done = _completed;
            }

            if (next is not null) yield return next;
            else if (done) yield break;
            else await _changed.WaitAsync(cancel);
        }
    }

    // One waiter at a time on each side is all there is (the job's stdout pump adds, the lease's relay reads);
    // a release wakes whichever waits, and each re-checks the list under the lock.
    private void Signal()
    {
        if (_changed.CurrentCount == 0) _changed.Release();
    }
}
