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
    [property: Id(3)] DateTimeOffset ExpiresAt);
