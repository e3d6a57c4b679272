using System.Collections.Immutable;

namespace ForgetLab.Contracts.Pool;

/// <summary>The pool at one moment: workers, live leases, per-tenant allocation and queue length. For operators, not tenants.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.PoolSnapshot")]
public sealed record PoolSnapshot(
    [property: Id(0)] ImmutableArray<WorkerRegistration> Workers,
    [property: Id(1)] ImmutableArray<LeaseStatus> Leases,
    [property: Id(2)] ImmutableArray<TenantAllocation> Tenants,
    [property: Id(3)] int RunsQueued)
{
    /// <summary>Queued runs, oldest first, with why one fits no registered worker and which worker is held for it.</summary>
    [Id(4)] public ImmutableArray<QueuedRunStatus> Queued { get; init; } = [];

    /// <summary>Preemptions asked for and not yet ended: the victim is checkpointing.</summary>
    [Id(5)] public ImmutableArray<PreemptionStatus> Preempting { get; init; } = [];

    /// <summary>The latest ended preemptions, newest first (at most <see cref="PreemptionStatus.HistoryLength"/>).</summary>
    [Id(6)] public ImmutableArray<PreemptionStatus> Preempted { get; init; } = [];

    /// <summary>The pool's loop protection: a run preempted this many times within <see cref="PreemptionWindow"/> is not preempted again.</summary>
    [Id(7)] public int PreemptionProtectAfter { get; init; }

    /// <summary>The window <see cref="PreemptionProtectAfter"/> counts over.</summary>
    [Id(8)] public TimeSpan PreemptionWindow { get; init; }
}
