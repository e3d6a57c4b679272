using System.Collections.Immutable;
using ForgetLab.Contracts.Tenants;

namespace ForgetLab.Grains.Tenants;

/// <summary>A tenant's persisted state; <see cref="Settings"/> is null until a platform admin configures it.</summary>
[GenerateSerializer, Alias("forgetlab.TenantGrainState")]
public sealed record TenantGrainState
{
    [Id(0)] public TenantSettings? Settings { get; init; }

    [Id(1)] public ImmutableArray<TenantMember> Members { get; init; } = [];

    [Id(2)] public ImmutableArray<StoredApiKey> ApiKeys { get; init; } = [];
}
