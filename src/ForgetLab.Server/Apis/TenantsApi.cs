using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Tenants;
using ForgetLab.Grains.Common;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ForgetLab.Server.Apis;

/// <summary>
/// Tenants and their API keys. The platform admin creates and configures tenants; a tenant admin
/// (or the platform admin) issues and revokes its keys. A key's secret is in the 201 answer only.
/// </summary>
public static class TenantsApi
{
    /// <summary>Roles a tenant's key may have: platform admin comes only from configuration.</summary>
    private static readonly TenantRole[] KeyRoles = [TenantRole.Viewer, TenantRole.Member, TenantRole.TenantAdmin];

    public static IEndpointRouteBuilder MapTenantsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup($"{ApiConventions.Prefix}/tenants").WithTags("Tenants").RequireAuthorization();

        api.MapPut("/{tenantId}", ConfigureTenant).RequireAuthorization(CallerClaims.PlatformAdminPolicy);
        api.MapGet("/{tenantId}", GetTenant);
        api.MapGet("/{tenantId}/usage", GetUsage);
        // Roles by policy, before any body is read; the tenant grain still checks the key's tenant (404 for another's).
        api.MapPost("/{tenantId}/keys", CreateApiKey).RequireAuthorization(CallerClaims.TenantAdminPolicy);
        api.MapDelete("/{tenantId}/keys/{keyId}", RevokeApiKey).RequireAuthorization(CallerClaims.TenantAdminPolicy);

        // The caller's own tenant, so a client needs no tenant id to see its quota.
        app.MapGet($"{ApiConventions.Prefix}/usage", GetOwnUsage).WithTags("Tenants").RequireAuthorization(CallerClaims.TenantPolicy);
        return app;
    }

    /// <summary>Creates the tenant or changes its name, fair-share weight and quotas.</summary>
    public static async Task<Results<Ok<TenantView>, ProblemHttpResult>> ConfigureTenant(
        string tenantId, TenantSettingsRequest request, [AsParameters] ApiServices services)
    {
        // Not a grain key at all: refused here as the tenant grain words it (it checks again, with the other fields).
        if (!GrainKeys.IsTenantId(tenantId))
            return ReplyResults.Invalid("tenantId", $"must be {GrainKeys.TenantRule}");
        var settings = new TenantSettings(request.DisplayName ?? tenantId, request.Weight ?? 1.0, request.MaxConcurrentDevices ?? 1, request.DeviceHoursBudget)
        {
            GuaranteedDevices = request.GuaranteedDevices ?? 0,
        };
        var reply = await services.Grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenantId)).Configure(services.Caller, settings);
        return reply.ToHttp();
    }

    public static async Task<Results<Ok<TenantView>, ProblemHttpResult>> GetTenant(string tenantId, [AsParameters] ApiServices services) =>
        (await OnTenant(services, tenantId, t => t.Get(services.Caller))).ToHttp();

    /// <summary>Devices in use against the tenant's concurrent-device quota, and device-hours spent against its budget.</summary>
    public static async Task<Results<Ok<TenantUsage>, ProblemHttpResult>> GetUsage(string tenantId, [AsParameters] ApiServices services) =>
        (await OnTenant(services, tenantId, t => t.GetUsage(services.Caller))).ToHttp();

    public static Task<Results<Ok<TenantUsage>, ProblemHttpResult>> GetOwnUsage([AsParameters] ApiServices services) =>
        GetUsage(services.Caller.TenantId, services);

    /// <summary>Issues a key; the answer holds its secret, which is never shown again.</summary>
    public static async Task<Results<Created<IssuedApiKey>, ProblemHttpResult>> CreateApiKey(
        string tenantId, ApiKeyRequest request, [AsParameters] ApiServices services)
    {
        var role = request.Role ?? TenantRole.Member;
        if (!KeyRoles.Contains(role))
            return ReplyResults.Invalid("role", $"must be one of {string.Join(", ", KeyRoles)}; the platform admin key is set in configuration");

        var reply = await OnTenant(services, tenantId, t => t.CreateApiKey(services.Caller, request.Label ?? "", role));
        if (reply.Status != ReplyStatus.Ok) return reply.Failure();
        return TypedResults.Created($"{ApiConventions.Prefix}/tenants/{tenantId}/keys/{reply.Value!.Key.KeyId}", reply.Value);
    }

    public static async Task<Results<Ok<ApiKeyInfo>, ProblemHttpResult>> RevokeApiKey(
        string tenantId, string keyId, [AsParameters] ApiServices services) =>
        (await OnTenant(services, tenantId, t => t.RevokeApiKey(services.Caller, keyId))).ToHttp();

    /// <summary>A call on the tenant's grain; for an id no tenant can have, the grain's own answer for a tenant that does not exist.</summary>
    private static Task<Reply<T>> OnTenant<T>(ApiServices services, string tenantId, Func<ITenantGrain, Task<Reply<T>>> call) =>
        GrainKeys.IsTenantId(tenantId)
            ? call(services.Grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenantId)))
            : Task.FromResult(Replies.NotFound<T>($"tenant {InputLimits.Quote(tenantId)}"));
}

/// <summary>Body of <c>PUT /api/v1/tenants/{tenantId}</c>; absent fields take defaults (weight 1, one device, no hours limit, no guarantee).</summary>
public sealed record TenantSettingsRequest(string? DisplayName, double? Weight, int? MaxConcurrentDevices, double? DeviceHoursBudget, int? GuaranteedDevices = null);

/// <summary>Body of <c>POST /api/v1/tenants/{tenantId}/keys</c>; the role defaults to Member.</summary>
public sealed record ApiKeyRequest(string? Label, TenantRole? Role);
