using ForgetLab.Contracts.Common;

namespace ForgetLab.Server.Security;

/// <summary>Registers API-key authentication and the two policies the APIs use.</summary>
public static class ApiKeyAuthentication
{
    public static WebApplicationBuilder AddApiKeyAuthentication(this WebApplicationBuilder builder)
    {
        var adminKey = builder.Configuration["ForgetLab:AdminKey"];
        builder.Services.AddSingleton<ApiKeyVerifier>();
        builder.Services
            .AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, o => o.AdminKey = adminKey);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CallerClaims.PlatformAdminPolicy, p => p.RequireRole(nameof(TenantRole.PlatformAdmin)))
            .AddPolicy(CallerClaims.TenantPolicy, p => p.RequireAssertion(c =>
                c.User.FindFirst(CallerClaims.TenantClaim) is { } tenant && tenant.Value != CallerClaims.PlatformTenant));
        return builder;
    }
}
