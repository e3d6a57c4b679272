using ForgetLab.Contracts.Common;

namespace ForgetLab.Contracts.Tenants;

/// <summary>An API key as listed: never its secret, which only <see cref="IssuedApiKey"/> carries, once.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.ApiKeyInfo")]
public sealed record ApiKeyInfo(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Label,
    [property: Id(2)] TenantRole Role,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] bool Revoked);
