using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using ForgetLab.Contracts.Common;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ForgetLab.Server.Apis;

/// <summary>
/// What any one request may cost: body size (Kestrel), JSON depth, the length of ids in URLs, and
/// per-key rate limits on the expensive endpoints (ASP.NET Core's rate limiter, 429 with
/// Retry-After). Binding failures become 400s naming the field (<see cref="BadRequestAnswer"/>).
/// docs/api.md#limits lists the values.
/// </summary>
public static class RequestLimits
{
    /// <summary>Any request body (1 MiB); model uploads set their own larger limit on their endpoint.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>Nesting of a JSON body; the API's bodies nest two levels.</summary>
    public const int MaxJsonDepth = 16;

    /// <summary>Rate-limiter policy of the endpoints that parse a spec, assemble reports or read many blobs.</summary>
    public const string ExpensivePolicy = "expensive";

    public static WebApplicationBuilder AddForgetLabRequestLimits(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = MaxBodyBytes);
        // Binding failures throw, so BadRequestAnswer can say which field was wrong instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestAnswer>();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = Rejected;
            o.AddPolicy(ExpensivePolicy, ExpensivePartition);
        });
        return builder;
    }

    /// <summary>After authorization, so refused callers spend no tokens and partitions know the key.</summary>
    public static WebApplication UseForgetLabRequestLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        app.Use(RefuseLongIds);
        return app;
    }

    /// <summary>The detail of a 413: the limit of the endpoint that refused the body.</summary>
    public static string TooLarge(HttpContext context) =>
        $"the body is larger than this endpoint's limit of {context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? MaxBodyBytes} bytes";

    /// <summary>Whole seconds for a Retry-After header, rounded up.</summary>
    public static string Seconds(TimeSpan after) => ((int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>One token bucket per API key (tenant and key id), so one tenant's burst never slows another's.</summary>
    private static RateLimitPartition<string> ExpensivePartition(HttpContext context)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var key = context.User.FindFirstValue(CallerClaims.TenantClaim) is { } tenant
            ? $"{tenant}/{context.User.FindFirstValue(ClaimTypes.NameIdentifier)}"
            : $"address:{context.Connection.RemoteIpAddress}";
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.ExpensiveBurst,
            TokensPerPeriod = Math.Max(1, (int)Math.Ceiling(limits.ExpensivePerMinute / 60.0)),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask Rejected(OnRejectedContext context, CancellationToken cancel)
    {
        var after = AuthFailureThrottle.RetryAfter(context.Lease);
        context.HttpContext.Response.Headers.RetryAfter = Seconds(after);
        await ReplyResults.Problem(StatusCodes.Status429TooManyRequests, "Too Many Requests",
                $"this API key has used up its calls to this endpoint for now; retry after {Seconds(after)} s")
            .ExecuteAsync(context.HttpContext);
    }

    /// <summary>No real id is longer than 64 characters; a longer one is a 404 before it reaches a grain or storage's key limits.</summary>
    private static Task RefuseLongIds(HttpContext context, RequestDelegate next)
    {
        var tooLong = context.Request.RouteValues.FirstOrDefault(v => v.Value is string { Length: > InputLimits.MaxIdChars });
        return tooLong.Key is null
            ? next(context)
            : ReplyResults.Problem(StatusCodes.Status404NotFound, "Not Found",
                $"{tooLong.Key} {InputLimits.Quote((string)tooLong.Value!)} not found (ids have at most {InputLimits.MaxIdChars} characters)").ExecuteAsync(context);
    }
}
