using System.Collections.Immutable;

namespace ForgetLab.Contracts.Pool;

/// <summary>
/// Answer to a heartbeat: the worker's leases, renewed until <see cref="ExpiresAt"/>, and the lease
/// ids it named that the pool no longer holds (expired or released): their jobs must stop.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.HeartbeatAck")]
public sealed record HeartbeatAck(
    [property: Id(0)] bool Registered,
    [property: Id(1)] ImmutableArray<string> Renewed,
    [property: Id(2)] ImmutableArray<string> Lost,
    [property: Id(3)] DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// Leases of this worker being preempted: checkpoint their runs now, upload and verify the checkpoint, then call
    /// <see cref="IGpuPoolGrain.Preempted"/>. A lease not checkpointed within the pool's grace ends anyway, and its run
    /// resumes from its last checkpoint.
    /// </summary>
    [Id(4)] public ImmutableArray<string> Checkpoint { get; init; } = [];
}
