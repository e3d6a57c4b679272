namespace ForgetLab.Core.Scheduling;

/// <summary>Whether a run could ever be placed on the registered workers, busy or not.</summary>
public static class PlacementFeasibility
{
    /// <summary>
    /// Null when some worker has, busy or free, enough devices of the run's kind and of one memory size that suffices (a run's devices all have the same memory); otherwise
    /// why not: <see cref="WaitReason.NotEnoughMemory"/> when devices of the kind exist on a worker
    /// large enough but none has the memory, <see cref="WaitReason.NoWorkerLargeEnough"/> otherwise.
    /// Such a run stays queued (a larger worker may register) and says why.
    /// </summary>
    public static WaitReason? Check(QueuedRun run, IReadOnlyList<WorkerDevices> workers)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(workers);
        var largeEnough = false;
        foreach (var worker in workers)
        {
            if (run.DeviceKind != DeviceKind.Any && run.DeviceKind != worker.Kind || worker.Total < run.DevicesNeeded) continue;
            largeEnough = true;
            if (FreeDeviceIndex.MemoryFits(worker.MemoryBytes, run.MemoryBytes)) return null;
        }

        return largeEnough ? WaitReason.NotEnoughMemory : WaitReason.NoWorkerLargeEnough;
    }
}
