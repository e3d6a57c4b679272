using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Tenants;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ForgetLab.Server.Security;

/// <summary>
/// <c>Authorization: Bearer flk_{tenant}_…</c>: the tenant named in the key verifies it (only its
/// SHA-256 is stored). The bootstrap key from <c>ForgetLab:AdminKey</c> is the platform admin.
/// Failures answer 401 or 403 as ProblemDetails, never saying whether a tenant exists.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IGrainFactory grains,
    IProblemDetailsService problems) : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("expected 'Authorization: Bearer <API key>'");

        var secret = header["Bearer ".Length..].Trim();
        var caller = IsAdminKey(secret)
            ? new Caller(CallerClaims.PlatformTenant, TenantRole.PlatformAdmin, "admin-key")
            : await VerifyTenantKey(secret);
        if (caller is null)
        {
            LogRejectedKey(Logger, Request.Path);
            return AuthenticateResult.Fail("invalid API key");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.ToPrincipal(caller, SchemeName), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblem("Unauthorized", "a valid API key is required: 'Authorization: Bearer <API key>'");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var admin = Context.User.FindFirst(CallerClaims.TenantClaim)?.Value == CallerClaims.PlatformTenant;
        await WriteProblem("Forbidden", admin
            ? "the platform admin key manages tenants; use a tenant's API key for its experiments and runs"
            : "this needs the platform-admin role");
    }

    private bool IsAdminKey(string secret) =>
        Options.AdminKey is { Length: > 0 } admin
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), SHA256.HashData(Encoding.UTF8.GetBytes(admin)));

    private async Task<Caller?> VerifyTenantKey(string secret)
    {
        // Only a well-formed key for a well-formed tenant id reaches a grain: junk never activates one.
        if (!ApiKeySecrets.TryParse(secret, out var tenantId, out _) || !GrainKeys.IsTenantId(tenantId)) return null;
        return await grains.GetGrain<ITenantGrain>(tenantId).VerifyApiKey(secret);
    }

    private Task WriteProblem(string title, string detail) => problems.WriteAsync(new ProblemDetailsContext
    {
        HttpContext = Context,
        ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
    }).AsTask();

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected an API key on {Path}")]
    private static partial void LogRejectedKey(ILogger logger, PathString path);
}
