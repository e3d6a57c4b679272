namespace ForgetLab.Core.Scheduling;

/// <summary>
/// Gang placement without starvation. Single-device runs re-placed one at a time keep workers
/// partly busy, so a run that needs a whole worker may never see one free (docs/benchmarks.md).
/// A multi-device run that has waited past a bound therefore reserves a draining worker: nothing
/// new is placed there, and as its runs end the devices add up for the gang. This trades away strict
/// work conservation on the reserved workers; the simulator measures what it costs in utilisation.
/// </summary>
public static class GangReservations
{
    /// <summary>
    /// The reservations to hold now. A current reservation stays while its run is queued, on its worker
    /// unless another unreserved worker now has more free devices that suit the run (a worker part-way
    /// drained is not given up for an equal one, but the pool knows no run lengths, so a worker whose runs
    /// happen to end sooner wins); then multi-device runs waiting at least <paramref name="waitBound"/>,
    /// longest first, each take the unreserved worker with the most free devices that suit them and has
    /// enough in all (ties: lowest worker id), up to <paramref name="maxReservations"/> in all. A run no
    /// worker could ever hold reserves nothing.
    /// Cost: O(gangs waiting past the bound · workers), independent of the rest of the queue.
    /// </summary>
    public static IReadOnlyList<GangReservation> Choose(
        RunQueue queue,
        IReadOnlyList<WorkerDevices> workers,
        IReadOnlyList<GangReservation> current,
        DateTimeOffset now,
        TimeSpan waitBound,
        int maxReservations)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(current);
        if (maxReservations < 0) throw new ArgumentOutOfRangeException(nameof(maxReservations), $"maxReservations must be ≥ 0, got {maxReservations}.");

        var kept = new List<GangReservation>();
        var reservedWorkers = new HashSet<string>(StringComparer.Ordinal);
        var reservedRuns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reservation in current)
        {
            if (kept.Count >= maxReservations) break;
            if (queue.Find(reservation.RunId) is not { } run || reservedWorkers.Contains(reservation.WorkerId) || !reservedRuns.Add(run.RunId)) continue;
            var held = workers.FirstOrDefault(w => w.WorkerId == reservation.WorkerId && w.Suits(run) && w.Total >= run.DevicesNeeded);
            if (held is null || Best(run, workers, reservedWorkers, prefer: held) is not { } best) continue;
            kept.Add(new GangReservation(best.WorkerId, run.RunId));
            reservedWorkers.Add(best.WorkerId);
        }

        foreach (var run in queue.GangsByAge)
        {
            if (kept.Count >= maxReservations || run.EnqueuedAt + waitBound > now) break;
            if (reservedRuns.Contains(run.RunId) || Best(run, workers, reservedWorkers, prefer: null) is not { } best) continue;
            kept.Add(new GangReservation(best.WorkerId, run.RunId));
            reservedWorkers.Add(best.WorkerId);
            reservedRuns.Add(run.RunId);
        }

        return kept;
    }

    /// <summary>The unreserved worker with the most free devices that suit the run (ties: <paramref name="prefer"/>, then lowest id).</summary>
    private static WorkerDevices? Best(QueuedRun run, IReadOnlyList<WorkerDevices> workers, HashSet<string> reserved, WorkerDevices? prefer)
    {
        var best = prefer;
        foreach (var worker in workers)
        {
            if (reserved.Contains(worker.WorkerId) || worker.Total < run.DevicesNeeded || !worker.Suits(run)) continue;
            if (best is null || worker.Free > best.Free
                || worker.Free == best.Free && !ReferenceEquals(best, prefer) && string.CompareOrdinal(worker.WorkerId, best.WorkerId) < 0)
            {
                best = worker;
            }
        }

        return best;
    }
}
