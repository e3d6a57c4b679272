namespace ForgetLab.Contracts.Pool;

/// <summary>A queued run as operators see it.</summary>
/// <param name="Unplaceable">Why no registered worker could ever take it (too few devices on one worker, not enough memory); null when one could.</param>
/// <param name="ReservedWorker">The worker held for it while it drains (gang reservation), if any.</param>
[GenerateSerializer, Immutable, Alias("forgetlab.QueuedRunStatus")]
public sealed record QueuedRunStatus(
    [property: Id(0)] string RunKey,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string PriorityClass,
    [property: Id(3)] int DevicesNeeded,
    [property: Id(4)] string DeviceKind,
    [property: Id(5)] long? MemoryBytes,
    [property: Id(6)] DateTimeOffset EnqueuedAt,
    [property: Id(7)] string? Unplaceable,
    [property: Id(8)] string? ReservedWorker);
