namespace ForgetLab.Contracts.Runs;

/// <summary>What a run did with a worker's report.</summary>
[GenerateSerializer, Alias("forgetlab.ReportOutcome")]
public enum ReportOutcome
{
    /// <summary>Recorded and persisted.</summary>
    Applied = 0,

    /// <summary>Seen before (same step, same lease); nothing changed.</summary>
    Duplicate = 1,

    /// <summary>Not allowed now; <see cref="ReportAck.Error"/> says why.</summary>
    Rejected = 2,
}
