namespace ForgetLab.Contracts.Common;

/// <summary>
/// Who is calling, as the API established it from a verified API key. Every call that reads or
/// writes a tenant's resource carries one; a grain compares <see cref="TenantId"/> with its key's
/// tenant and answers <see cref="ReplyStatus.NotFound"/> on a mismatch.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.Caller")]
public sealed record Caller(
    [property: Id(0)] string TenantId,
    [property: Id(1)] TenantRole Role,
    [property: Id(2)] string? Subject = null);
