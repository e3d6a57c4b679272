using System.Collections.Immutable;

namespace ForgetLab.Contracts.Pool;

/// <summary>A live lease as the pool holds it.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.LeaseStatus")]
public sealed record LeaseStatus(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] string RunKey,
    [property: Id(2)] string TenantId,
    [property: Id(3)] string WorkerId,
    [property: Id(4)] ImmutableArray<string> DeviceIds,
    [property: Id(5)] DateTimeOffset GrantedAt,
    [property: Id(6)] DateTimeOffset ExpiresAt);
