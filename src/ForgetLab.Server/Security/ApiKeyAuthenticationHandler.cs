using System.Text.Encodings.Web;
using ForgetLab.Server.Apis;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace ForgetLab.Server.Security;

/// <summary>
/// <c>Authorization: Bearer flk_{tenant}_…</c>, checked by <see cref="ApiKeyVerifier"/>.
/// Failures answer 401 or 403 as ProblemDetails, never saying whether a tenant exists; an address
/// that failed too often gets 429 with Retry-After (<see cref="AuthFailureThrottle"/>). Roles are
/// checked by the endpoints' policies here, before any body is read.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyVerifier verifier,
    AuthFailureThrottle throttle,
    IProblemDetailsService problems) : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    private TimeSpan? throttled;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        using var attempt = throttle.Begin(Context);
        if ((throttled = attempt.RetryAfter) is not null) return AuthenticateResult.Fail("too many failed API-key checks from this address");
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            attempt.Failed();
            return AuthenticateResult.Fail("expected 'Authorization: Bearer <API key>'");
        }

        var secret = header["Bearer ".Length..].Trim();
        var caller = await verifier.Verify(secret);
        if (caller is null)
        {
            attempt.Failed();
            LogRejectedKey(Logger, Request.Path);
            return AuthenticateResult.Fail("invalid API key");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.ToPrincipal(caller, SchemeName), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (throttled is { } retryAfter)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = RequestLimits.Seconds(retryAfter);
            await WriteProblem("Too Many Requests",
                $"too many requests with an invalid API key from this address; retry after {RequestLimits.Seconds(retryAfter)} s");
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblem("Unauthorized", "a valid API key is required: 'Authorization: Bearer <API key>'");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var admin = Context.User.FindFirst(CallerClaims.TenantClaim)?.Value == CallerClaims.PlatformTenant;
        var policies = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList() ?? [];
        await WriteProblem("Forbidden", admin && policies.Contains(CallerClaims.TenantPolicy)
            ? "the platform admin key manages tenants; use a tenant's API key for its experiments and runs"
            : $"this needs the {CallerClaims.RoleNeeded(policies)} role");
    }

    private Task WriteProblem(string title, string detail) => problems.WriteAsync(new ProblemDetailsContext
    {
        HttpContext = Context,
        ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
    }).AsTask();

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected an API key on {Path}")]
    private static partial void LogRejectedKey(ILogger logger, PathString path);
}
