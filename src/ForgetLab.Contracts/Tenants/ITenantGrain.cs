using ForgetLab.Contracts.Common;

namespace ForgetLab.Contracts.Tenants;

/// <summary>A tenant: profile, fair-share weight and quotas, members, hashed API keys. Key: the tenant id.</summary>
[Alias("forgetlab.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates or updates the tenant and tells the pool its weight and quotas. Platform admins only.</summary>
    [Alias("Configure")]
    Task<Reply<TenantView>> Configure(Caller caller, TenantSettings settings);

    [Alias("Get")]
    Task<Reply<TenantView>> Get(Caller caller);

    /// <summary>Devices and device-hours in use against the tenant's quota, from the pool. Any role of the tenant.</summary>
    [Alias("GetUsage")]
    Task<Reply<TenantUsage>> GetUsage(Caller caller);

    /// <summary>Adds a member or changes their role. Tenant admins.</summary>
    [Alias("SetMember")]
    Task<Reply<TenantView>> SetMember(Caller caller, TenantMember member);

    [Alias("RemoveMember")]
    Task<Reply<TenantView>> RemoveMember(Caller caller, string userId);

    /// <summary>Issues a key with a role no higher than the caller's; the reply holds the secret, once.</summary>
    [Alias("CreateApiKey")]
    Task<Reply<IssuedApiKey>> CreateApiKey(Caller caller, string label, TenantRole role);

    [Alias("RevokeApiKey")]
    Task<Reply<ApiKeyInfo>> RevokeApiKey(Caller caller, string keyId);

    /// <summary>
    /// The caller a secret stands for, or null when it is unknown or revoked. Takes no caller: this
    /// is how the API finds one.
    /// </summary>
    [Alias("VerifyApiKey")]
    Task<Caller?> VerifyApiKey(string secret);
}
