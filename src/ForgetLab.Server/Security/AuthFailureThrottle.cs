using System.Net;
using System.Threading.RateLimiting;
using ForgetLab.Server.Apis;
using Microsoft.Extensions.Options;

namespace ForgetLab.Server.Security;

/// <summary>
/// Limits failed API-key checks per client address (a fixed window of ASP.NET Core's rate
/// limiter, <c>ForgetLab:RateLimits:AuthFailures*</c>). Once an address has used up its
/// failures, every request from it that presents a key is answered 429 with Retry-After,
/// without checking the key, until the window ends: a key cannot be guessed faster than the
/// window allows, and other addresses are never affected. Keyed by address rather than by
/// tenant, so nobody can lock a tenant out by failing on its behalf.
/// </summary>
public sealed class AuthFailureThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> limiter;

    public AuthFailureThrottle(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ =>
            new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.AuthFailuresPerWindow,
                Window = TimeSpan.FromSeconds(limits.AuthFailureWindowSeconds),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>When the address has no failures left: how long until it has (null while it has some).</summary>
    public TimeSpan? Blocked(HttpContext context)
    {
        // Zero permits asks whether any are left without taking one (RateLimiter.AttemptAcquire).
        using var lease = limiter.AttemptAcquire(AddressOf(context), 0);
        return lease.IsAcquired ? null : RetryAfter(lease);
    }

    /// <summary>Counts a failed check against the caller's address.</summary>
    public void Failed(HttpContext context) => limiter.AttemptAcquire(AddressOf(context)).Dispose();

    public void Dispose() => limiter.Dispose();

    /// <summary>The lease's Retry-After, at least one second (the header counts whole seconds).</summary>
    public static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.FromSeconds(1) ? after : TimeSpan.FromSeconds(1);

    /// <summary>Forwarded headers are not trusted: behind a proxy every caller shares the proxy's address (docs/security.md).</summary>
    private static IPAddress AddressOf(HttpContext context) => context.Connection.RemoteIpAddress ?? IPAddress.None;
}
