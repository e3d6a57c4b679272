namespace ForgetLab.Grains.Pool;

/// <summary>
/// When a lease counts as expired. Past its recorded expiry is not enough: the pool must also have been
/// listening for a whole TTL (since it was activated, e.g. after a server restart) and not have heard its
/// worker for a whole TTL (a heartbeat it could not save while storage was down still counts). So a lease is
/// never lost for lack of a server or of storage: a worker that was heartbeating all along keeps it, and a
/// worker that died is noticed one TTL after the pool could have heard from it.
/// </summary>
public static class LeaseExpiry
{
    /// <param name="listeningSince">When this activation of the pool began to hear heartbeats.</param>
    /// <param name="workerHeardAt">When this activation last heard the lease's worker, saved or not; null if never.</param>
    public static bool HasExpired(DateTimeOffset expiresAt, DateTimeOffset now, DateTimeOffset listeningSince, DateTimeOffset? workerHeardAt, TimeSpan ttl) =>
        expiresAt <= now && listeningSince + ttl <= now && (workerHeardAt is not { } heard || heard + ttl <= now);
}
