using System.Collections.Immutable;
using ForgetLab.Contracts.Runs;

namespace ForgetLab.Contracts.Pool;

/// <summary>A run handed to a worker until <see cref="ExpiresAt"/>; heartbeats move the expiry on.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.LeaseGrant")]
public sealed record LeaseGrant(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] string RunKey,
    [property: Id(2)] string TenantId,
    [property: Id(3)] ImmutableArray<string> DeviceIds,
    [property: Id(4)] DateTimeOffset ExpiresAt,
    [property: Id(5)] RunWork Work);
