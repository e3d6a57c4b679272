using ForgetLab.Contracts.Common;

namespace ForgetLab.Grains.Tenants;

/// <summary>An API key as stored: the SHA-256 of its secret, never the secret.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.StoredApiKey")]
public sealed record StoredApiKey(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Label,
    [property: Id(2)] TenantRole Role,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] bool Revoked,
    [property: Id(5)] string Sha256);
