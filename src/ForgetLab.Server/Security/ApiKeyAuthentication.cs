using ForgetLab.Contracts.Common;
using ForgetLab.Server.Apis;

namespace ForgetLab.Server.Security;

/// <summary>Registers API-key authentication and the policies the APIs use (who is calling, and with which role).</summary>
public static class ApiKeyAuthentication
{
    public static WebApplicationBuilder AddApiKeyAuthentication(this WebApplicationBuilder builder)
    {
        var adminKey = AdminKeySource.Read(builder.Configuration);
        builder.Services.AddSingleton<ApiKeyVerifier>();
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration("ForgetLab:RateLimits");
        builder.Services.AddSingleton<AuthFailureThrottle>();
        builder.Services
            .AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, o => o.AdminKey = adminKey);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CallerClaims.PlatformAdminPolicy, p => p.RequireRole(nameof(TenantRole.PlatformAdmin)))
            .AddPolicy(CallerClaims.TenantPolicy, p => p.RequireAssertion(c =>
                c.User.FindFirst(CallerClaims.TenantClaim) is { } tenant && tenant.Value != CallerClaims.PlatformTenant))
            .AddPolicy(CallerClaims.MemberPolicy, p => p.RequireAssertion(c => CallerClaims.RoleOf(c.User) >= TenantRole.Member))
            .AddPolicy(CallerClaims.TenantAdminPolicy, p => p.RequireAssertion(c => CallerClaims.RoleOf(c.User) >= TenantRole.TenantAdmin));
        return builder;
    }
}
