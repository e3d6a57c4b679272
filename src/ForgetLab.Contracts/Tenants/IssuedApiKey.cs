namespace ForgetLab.Contracts.Tenants;

/// <summary>A new API key with its secret. The secret is shown this once; the tenant keeps only its SHA-256.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.IssuedApiKey")]
public sealed record IssuedApiKey(
    [property: Id(0)] ApiKeyInfo Key,
    [property: Id(1)] string Secret);
