namespace ForgetLab.Core.Scheduling;

/// <summary>Why a run is preempted: the only two reasons a run may be.</summary>
public enum PreemptionReason
{
    /// <summary>A run of a strictly higher class needs the devices.</summary>
    HigherClass,

    /// <summary>A run of a tenant below its guaranteed devices reclaims devices lent to the victim's tenant, from a run of its own class.</summary>
    ReclaimGuarantee,
}
