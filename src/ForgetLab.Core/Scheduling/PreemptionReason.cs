namespace ForgetLab.Core.Scheduling;

/// <summary>Why a run is preempted: the only two reasons a run may be.</summary>
public enum PreemptionReason
{
    /// <summary>A run of a strictly higher class needs the devices.</summary>
    HigherClass,

    /// <summary>A tenant below its guaranteed devices reclaims devices lent to the victim's tenant.</summary>
    ReclaimGuarantee,
}
