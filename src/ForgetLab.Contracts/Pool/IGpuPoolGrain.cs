using System.Collections.Immutable;
using ForgetLab.Contracts.Runs;

namespace ForgetLab.Contracts.Pool;

/// <summary>
/// The shared device pool (single key "pool"): workers, the queue of runs, leases with expiry, and
/// each tenant's weight, quota and spending. Workers pull: they register, heartbeat and ask for
/// leases; the pool places queued runs by weighted fair share. Platform-internal: tenants never
/// call it directly.
/// </summary>
[Alias("forgetlab.IGpuPoolGrain")]
public interface IGpuPoolGrain : IGrainWithStringKey
{
    [Alias("RegisterWorker")]
    Task RegisterWorker(WorkerRegistration registration);

    /// <summary>Renews every lease the worker holds; names those of <paramref name="leaseIds"/> it lost.</summary>
    [Alias("Heartbeat")]
    Task<HeartbeatAck> Heartbeat(string workerId, ImmutableArray<string> leaseIds);

    /// <summary>Places queued runs on the worker's free devices by fair share and leases them to it.</summary>
    [Alias("RequestLeases")]
    Task<ImmutableArray<LeaseGrant>> RequestLeases(string workerId);

    /// <summary>The worker is done with a lease (run ended, or it gave up; a run still held under it goes back on the queue); harmless when repeated.</summary>
    [Alias("ReleaseLease")]
    Task<bool> ReleaseLease(string workerId, string leaseId);

    /// <summary>Queues runs; a run already queued or leased is left as it is.</summary>
    [Alias("Enqueue")]
    Task Enqueue(ImmutableArray<QueueEntry> entries);

    /// <summary>Takes runs off the queue (cancelled); leased ones end through their worker or their lease's expiry.</summary>
    [Alias("Dequeue")]
    Task Dequeue(ImmutableArray<string> runKeys);

    /// <summary>
    /// Sets a tenant's weight, quotas and guaranteed devices (from the tenant grain); a null budget means no limit. Tenants never
    /// set have weight 1, no limits and no guarantee.
    /// </summary>
    [Alias("SetTenantShare")]
    Task SetTenantShare(string tenantId, double weight, int maxConcurrentDevices, double? deviceHoursBudget, int guaranteedDevices);

    /// <summary>A checkpoint of the lease's run was uploaded (the victim choice prefers runs that lose the least work); harmless when repeated.</summary>
    [Alias("CheckpointUploaded")]
    Task CheckpointUploaded(string workerId, string leaseId);

    /// <summary>
    /// The worker checkpointed a run it was told to preempt (<see cref="HeartbeatAck.Checkpoint"/>), uploaded and verified the checkpoint
    /// at <paramref name="step"/>: the lease ends and the run goes back to the queue to resume from it. False when the lease is not being
    /// preempted (its grace ran out first, or it ended): the worker then just stops the job.
    /// </summary>
    [Alias("Preempted")]
    Task<bool> Preempted(string workerId, string leaseId, long step);

    /// <summary>Ends every lease past its expiry and sends its run back to the queue; answers the run keys re-queued.</summary>
    [Alias("SweepExpiredLeases")]
    Task<ImmutableArray<string>> SweepExpiredLeases();

    /// <summary>One tenant's standing (what <see cref="GetSnapshot"/> lists), for its usage view; weight 1 and no limits when never set.</summary>
    [Alias("GetTenantAllocation")]
    Task<TenantAllocation> GetTenantAllocation(string tenantId);

    [Alias("GetSnapshot")]
    Task<PoolSnapshot> GetSnapshot();

    /// <summary>
    /// The queue entries of those of <paramref name="runKeys"/> that are queued, with why no registered worker could ever
    /// take each (<see cref="QueuedRunStatus.Unplaceable"/>): what a tenant's run resource says while it waits. The
    /// caller passes only its own tenant's keys.
    /// </summary>
    [Alias("QueuedStatus")]
    Task<ImmutableArray<QueuedRunStatus>> QueuedStatus(ImmutableArray<string> runKeys);
}
