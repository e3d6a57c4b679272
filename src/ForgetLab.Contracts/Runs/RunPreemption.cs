namespace ForgetLab.Contracts.Runs;

/// <summary>
/// One preemption of a run, as recorded on it: when, why (<see cref="Reason"/> is "higher_class" or "reclaim_guarantee",
/// explained in <see cref="Explanation"/>), for which run, and how its lease ended: "checkpointed" (the worker saved,
/// uploaded and verified a checkpoint at <see cref="CheckpointStep"/>) or "grace_timeout" (no checkpoint in time: the run
/// resumes from its last one, <see cref="CheckpointStep"/>, or from scratch when null).
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RunPreemption")]
public sealed record RunPreemption(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Reason,
    [property: Id(2)] string Explanation,
    [property: Id(3)] string ForRunKey,
    [property: Id(4)] string Outcome,
    [property: Id(5)] long? CheckpointStep,
    [property: Id(6)] DateTimeOffset AskedAt);
