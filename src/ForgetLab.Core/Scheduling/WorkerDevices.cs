namespace ForgetLab.Core.Scheduling;

/// <summary>What a registered worker has of one kind and memory size, busy or free.</summary>
/// <param name="WorkerId">Worker.</param>
/// <param name="Kind">Device kind.</param>
/// <param name="Total">Devices of that kind and memory on the worker.</param>
/// <param name="Free">Of those, devices free now (not leased, not held by a run that is checkpointing to leave).</param>
/// <param name="MemoryBytes">Memory of each of those devices; null when not reported.</param>
public sealed record WorkerDevices(string WorkerId, string Kind, int Total, int Free, long? MemoryBytes = null)
{
    /// <summary>True when the devices are of the run's kind and have its memory.</summary>
    public bool Suits(QueuedRun run) =>
        (run.DeviceKind == DeviceKind.Any || run.DeviceKind == Kind) && FreeDeviceIndex.MemoryFits(MemoryBytes, run.MemoryBytes);
}
