using System.Collections.Immutable;

namespace ForgetLab.Contracts.Tenants;

/// <summary>A tenant as its admins see it.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.TenantView")]
public sealed record TenantView(
    [property: Id(0)] string TenantId,
    [property: Id(1)] TenantSettings Settings,
    [property: Id(2)] ImmutableArray<TenantMember> Members,
    [property: Id(3)] ImmutableArray<ApiKeyInfo> ApiKeys);
