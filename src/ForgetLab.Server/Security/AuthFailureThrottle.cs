using System.Collections.Concurrent;
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
    private readonly ConcurrentDictionary<IPAddress, int> checking = new();

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

    /// <summary>
    /// Starts a key check from the caller's address. Checks still running count as possible
    /// failures, so a burst sent all at once cannot slip past the limit while the first ones are
    /// being verified. Dispose the attempt when the check is done.
    /// </summary>
    public Attempt Begin(HttpContext context)
    {
        var address = AddressOf(context);
        var running = checking.AddOrUpdate(address, 1, (_, n) => n + 1);
        var left = limiter.GetStatistics(address)?.CurrentAvailablePermits ?? 0;
        if (running <= left) return new Attempt(this, address, null);

        Done(address);
        // Zero permits asks whether any are left without taking one (RateLimiter.AttemptAcquire);
        // when some are, they are all spoken for by running checks, which end within a second.
        using var lease = limiter.AttemptAcquire(address, 0);
        return new Attempt(null, address, lease.IsAcquired ? TimeSpan.FromSeconds(1) : RetryAfter(lease));
    }

    public void Dispose() => limiter.Dispose();

    /// <summary>The lease's Retry-After, at least one second (the header counts whole seconds).</summary>
    public static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.FromSeconds(1) ? after : TimeSpan.FromSeconds(1);

    private void Done(IPAddress address)
    {
        if (checking.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0) checking.TryRemove(KeyValuePair.Create(address, 0));
    }

    /// <summary>Forwarded headers are not trusted: behind a proxy every caller shares the proxy's address (docs/security.md).</summary>
    private static IPAddress AddressOf(HttpContext context) => context.Connection.RemoteIpAddress ?? IPAddress.None;

    /// <summary>One key check: refused up front (<see cref="RetryAfter"/> set), or running until disposed.</summary>
    public sealed class Attempt(AuthFailureThrottle? owner, IPAddress address, TimeSpan? retryAfter) : IDisposable
    {
        private AuthFailureThrottle? running = owner;

        /// <summary>Set when the address has no failures left: how long until it has.</summary>
        public TimeSpan? RetryAfter { get; } = retryAfter;

        /// <summary>Counts the check as failed against the address.</summary>
        public void Failed() => running?.limiter.AttemptAcquire(address).Dispose();

        public void Dispose()
        {
            running?.Done(address);
            running = null;
        }
    }
}
