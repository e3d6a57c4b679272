namespace ForgetLab.Core.Scheduling;

/// <summary>Why a tenant with queued runs got nothing more in a decision, or why a run cannot be placed at all.</summary>
public enum WaitReason
{
    /// <summary>Its next run would take it over its max concurrent devices.</summary>
    OverConcurrentQuota,

    /// <summary>Its device-hours budget is spent.</summary>
    OverDeviceHours,

    /// <summary>No worker has enough free devices of the kind its runs need.</summary>
    NoMatchingDevice,

    /// <summary>No registered worker has as many devices of the run's kind as it needs on one worker.</summary>
    NoWorkerLargeEnough,

    /// <summary>No registered device of the run's kind has the memory the run needs.</summary>
    NotEnoughMemory,

    /// <summary>Its next run waits for a worker reserved for it to drain (gang reservation).</summary>
    WaitingForReservedWorker,
}
