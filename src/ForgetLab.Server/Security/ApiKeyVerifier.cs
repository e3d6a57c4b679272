using System.Security.Cryptography;
using System.Text;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Tenants;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Tenants;
using Microsoft.Extensions.Options;

namespace ForgetLab.Server.Security;

/// <summary>
/// The caller an API key stands for: the bootstrap admin key (<c>ForgetLab:AdminKey</c>) is the
/// platform admin; a tenant key is verified by the tenant it names (only its SHA-256 is stored).
/// One check for the API's Bearer scheme and the dashboard's sign-in form.
/// </summary>
public sealed class ApiKeyVerifier(IGrainFactory grains, IOptionsMonitor<ApiKeyAuthenticationOptions> options)
{
    /// <summary>The caller, or null when the key is unknown, revoked or malformed.</summary>
    public async Task<Caller?> Verify(string secret)
    {
        if (IsAdminKey(secret)) return new Caller(CallerClaims.PlatformTenant, TenantRole.PlatformAdmin, "admin-key");

        // Only a well-formed key for a well-formed tenant id reaches a grain: junk never activates one.
        if (!ApiKeySecrets.TryParse(secret, out var tenantId, out _) || !GrainKeys.IsTenantId(tenantId)) return null;
        return await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenantId)).VerifyApiKey(secret);
    }

    private bool IsAdminKey(string secret) =>
        options.Get(ApiKeyAuthenticationHandler.SchemeName).AdminKey is { Length: > 0 } admin
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), SHA256.HashData(Encoding.UTF8.GetBytes(admin)));
}
