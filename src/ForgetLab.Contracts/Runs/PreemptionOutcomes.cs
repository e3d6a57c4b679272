namespace ForgetLab.Contracts.Runs;

/// <summary>How a preemption's lease ended (<see cref="RunPreemption.Outcome"/>), and the reasons it may have, as the API and metrics spell them.</summary>
public static class PreemptionOutcomes
{
    /// <summary>The worker saved, uploaded and verified a checkpoint; the run resumes from it.</summary>
    public const string Checkpointed = "checkpointed";

    /// <summary>No verified checkpoint within the grace period; the run resumes from its last checkpoint.</summary>
    public const string GraceTimeout = "grace_timeout";

    /// <summary>The lease ended otherwise first (the run finished, was cancelled, or its worker was lost).</summary>
    public const string LeaseEnded = "lease_ended";

    public const string HigherClass = "higher_class";

    public const string ReclaimGuarantee = "reclaim_guarantee";
}
