using ForgetLab.Contracts.Common;

namespace ForgetLab.Contracts.Tenants;

/// <summary>A person in a tenant and their role.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.TenantMember")]
public sealed record TenantMember(
    [property: Id(0)] string UserId,
    [property: Id(1)] TenantRole Role);
