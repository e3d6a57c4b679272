using System.Collections.Immutable;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;

namespace ForgetLab.Grains.Pool;

/// <summary>
/// The pool's persisted state: workers, queued runs, live leases and tenant accounts. Lists rather
/// than dictionaries, because Orleans' JSON storage serializer (memory and Azure providers)
/// cannot read immutable dictionaries back; each list holds one entry per id.
/// </summary>
[GenerateSerializer, Alias("forgetlab.GpuPoolState")]
public sealed record GpuPoolState
{
    /// <summary>Registered workers, one per worker id.</summary>
    [Id(0)] public ImmutableArray<PoolWorker> Workers { get; init; } = [];

    /// <summary>Queued runs, one per run key.</summary>
    [Id(1)] public ImmutableArray<QueueEntry> Queue { get; init; } = [];

    /// <summary>Live leases, one per lease id.</summary>
    [Id(2)] public ImmutableArray<PoolLease> Leases { get; init; } = [];

    /// <summary>Tenants the pool was told about, one per tenant id.</summary>
    [Id(3)] public ImmutableArray<TenantAccount> Tenants { get; init; } = [];

    /// <summary>Number of the next lease; lease ids are never reused.</summary>
    [Id(4)] public long NextLease { get; init; } = 1;

    /// <summary>Workers held for long-waiting multi-device runs (gang reservation), one per worker.</summary>
    [Id(5)] public ImmutableArray<PoolReservation> Reservations { get; init; } = [];

    /// <summary>Leases being preempted: told to checkpoint, ended on the checkpoint or at the grace deadline.</summary>
    [Id(6)] public ImmutableArray<PreemptionStatus> Preempting { get; init; } = [];

    /// <summary>
    /// Workers held for the runs preemptions make room for, one per worker, until the run is placed or leaves the queue
    /// (apart from <see cref="Reservations"/>, which the gang rule recomputes on every request).
    /// </summary>
    [Id(7)] public ImmutableArray<PoolReservation> PreemptionHolds { get; init; } = [];

    /// <summary>Ended preemptions, newest first, at most <see cref="PreemptionStatus.HistoryLength"/>, and every one within the protection window.</summary>
    [Id(8)] public ImmutableArray<PreemptionStatus> Preempted { get; init; } = [];
}

/// <summary>A worker held for a queued run: nothing else is placed on it until the run is, or leaves the queue.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.PoolReservation")]
public sealed record PoolReservation(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] string RunKey);

/// <summary>A registered worker and when it was last heard from.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.PoolWorker")]
public sealed record PoolWorker(
    [property: Id(0)] WorkerRegistration Registration,
    [property: Id(1)] DateTimeOffset LastSeen);

/// <summary>A run leased to a worker's devices until <see cref="ExpiresAt"/>.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.PoolLease")]
public sealed record PoolLease(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] QueueEntry Entry,
    [property: Id(2)] string WorkerId,
    [property: Id(3)] ImmutableArray<string> DeviceIds,
    [property: Id(4)] DateTimeOffset GrantedAt,
    [property: Id(5)] DateTimeOffset ExpiresAt)
{
    /// <summary>When the worker last uploaded a checkpoint of the run under this lease; null when none yet.</summary>
    [Id(6)] public DateTimeOffset? LastCheckpointAt { get; init; }

    /// <summary>Device-hours the lease has used up to <paramref name="until"/> (never past its expiry).</summary>
    public double DeviceHours(DateTimeOffset until)
    {
        var end = until < ExpiresAt ? until : ExpiresAt;
        return end <= GrantedAt ? 0 : DeviceIds.Length * (end - GrantedAt).TotalHours;
    }
}

/// <summary>A tenant's share (weight, quotas) and the device-hours its ended leases used.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.TenantAccount")]
public sealed record TenantAccount(
    [property: Id(0)] string TenantId,
    [property: Id(1)] double Weight,
    [property: Id(2)] int MaxConcurrentDevices,
    [property: Id(3)] double? DeviceHoursBudget,
    [property: Id(4)] double DeviceHoursUsed)
{
    /// <summary>Devices the tenant is guaranteed; 0 when never set.</summary>
    [Id(5)] public int GuaranteedDevices { get; init; }

    /// <summary>What a tenant the pool was never told about gets: weight 1, no limits.</summary>
    public static TenantAccount Default(string tenantId) => new(tenantId, 1, int.MaxValue, null, 0);
}
