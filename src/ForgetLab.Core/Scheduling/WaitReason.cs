namespace ForgetLab.Core.Scheduling;

/// <summary>Why a tenant with queued runs got nothing more in a decision.</summary>
public enum WaitReason
{
    /// <summary>Its next run would take it over its max concurrent devices.</summary>
    OverConcurrentQuota,

    /// <summary>Its device-hours budget is spent.</summary>
    OverDeviceHours,

    /// <summary>No worker has enough free devices of the kind its runs need.</summary>
    NoMatchingDevice,
}
