namespace ForgetLab.Contracts.Runs;

/// <summary>
/// A run as the pool queues it. <see cref="EnqueuedAt"/> is the first enqueue, so a re-queued run keeps its age.
/// <see cref="PriorityClass"/> is "low", "normal" or "high"; <see cref="MemoryBytes"/> what it needs on each device, when declared.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.QueueEntry")]
public sealed record QueueEntry(
    [property: Id(0)] string RunKey,
    [property: Id(1)] string TenantId,
    [property: Id(2)] int Priority,
    [property: Id(3)] DateTimeOffset EnqueuedAt,
    [property: Id(4)] int DevicesNeeded,
    [property: Id(5)] string DeviceKind,
    [property: Id(6)] string PriorityClass = "normal",
    [property: Id(7)] long? MemoryBytes = null)
{
    /// <summary>When the pool put it on its queue this time (a re-queued run's wait starts again); null until then.</summary>
    [Id(8)] public DateTimeOffset? QueuedAt { get; init; }
}
