namespace ForgetLab.Contracts.Pool;

/// <summary>
/// A preemption as operators see it on the Pool page: the victim's lease and run, the run it makes room for, why
/// ("higher_class" | "reclaim_guarantee"), when it was asked, its grace deadline, and once ended its outcome
/// ("checkpointed" | "grace_timeout" | "lease_ended").
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.PreemptionStatus")]
public sealed record PreemptionStatus(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] string RunKey,
    [property: Id(2)] string TenantId,
    [property: Id(3)] string WorkerId,
    [property: Id(4)] string ForRunKey,
    [property: Id(5)] string ForTenantId,
    [property: Id(6)] string Reason,
    [property: Id(7)] string Explanation,
    [property: Id(8)] DateTimeOffset AskedAt,
    [property: Id(9)] DateTimeOffset Deadline,
    [property: Id(10)] string? Outcome,
    [property: Id(11)] DateTimeOffset? EndedAt)
{
    /// <summary>Ended preemptions the pool keeps for its snapshot.</summary>
    public const int HistoryLength = 50;
}
