namespace ForgetLab.Server.Apis;

/// <summary>
/// <c>ForgetLab:RateLimits</c>: how often a client may fail an API-key check, and how often one
/// key may call the expensive endpoints (submitting a spec, assembling a report, comparing runs).
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Failed key checks allowed per client address per window.</summary>
    public int AuthFailuresPerWindow { get; set; } = 20;

    public int AuthFailureWindowSeconds { get; set; } = 10;

    /// <summary>Calls to expensive endpoints one key may make in a burst (a token bucket's size).</summary>
    public int ExpensiveBurst { get; set; } = 20;

    /// <summary>Tokens the bucket regains per minute, one second's share at a time.</summary>
    public int ExpensivePerMinute { get; set; } = 60;
}
