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
    [property: Id(6)] DateTimeOffset ExpiresAt)
{
    /// <summary>The run's priority class ("low", "normal", "high").</summary>
    [Id(7)] public string PriorityClass { get; init; } = "normal";

    /// <summary>When the run's latest checkpoint under this lease was uploaded; null when none yet.</summary>
    [Id(8)] public DateTimeOffset? LastCheckpointAt { get; init; }
}
