namespace ForgetLab.Core.Scheduling;

/// <summary>One victim of a preemption plan.</summary>
/// <param name="RunId">Run to checkpoint and stop.</param>
/// <param name="TenantId">Its tenant.</param>
/// <param name="Reason">Why it may be preempted.</param>
/// <param name="Explanation">The reason as a sentence, recorded on the run.</param>
public sealed record Preemption(string RunId, string TenantId, PreemptionReason Reason, string Explanation);
