using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ForgetLab.Server.Security;

/// <summary>
/// <c>Authorization: Bearer flk_{tenant}_…</c>, checked by <see cref="ApiKeyVerifier"/>.
/// Failures answer 401 or 403 as ProblemDetails, never saying whether a tenant exists.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyVerifier verifier,
    IProblemDetailsService problems) : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("expected 'Authorization: Bearer <API key>'");

        var secret = header["Bearer ".Length..].Trim();
        var caller = await verifier.Verify(secret);
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

    private Task WriteProblem(string title, string detail) => problems.WriteAsync(new ProblemDetailsContext
    {
        HttpContext = Context,
        ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
    }).AsTask();

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected an API key on {Path}")]
    private static partial void LogRejectedKey(ILogger logger, PathString path);
}
