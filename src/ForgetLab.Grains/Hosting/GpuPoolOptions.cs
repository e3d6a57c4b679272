using ForgetLab.Core.Scheduling;

namespace ForgetLab.Grains.Hosting;

/// <summary>How long leases last, how often expired ones are swept, and when multi-device runs reserve a worker.</summary>
public sealed class GpuPoolOptions
{
    /// <summary>A lease lives this long after it is granted or last renewed by a heartbeat.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// What the pool keeps in memory between writes (heartbeats' renewals and last-seen times, checkpoint times, gang reservations) is
    /// written on its own once this old. A silo crash loses at most this much of them: no lease (a new activation listens a whole
    /// <see cref="LeaseTtl"/> before it expires any), but up to this much device-hours of a lease whose worker died with the silo.
    /// </summary>
    public TimeSpan RenewalWriteInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Period of the reminder that sweeps expired leases (Orleans reminders fire at most once a minute).</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A multi-device run queued this long reserves a draining worker (gang placement without starvation).</summary>
    public TimeSpan GangWaitBound { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Workers held for gang runs at once; each one held is a worker that takes no new small runs while it drains.</summary>
    public int MaxGangReservations { get; set; } = 4;

    /// <summary>
    /// How long a preempted run's worker has to checkpoint, upload and verify before its lease ends anyway and the run falls back to its
    /// last checkpoint. Covers an evaluation under way (the job checkpoints between training steps).
    /// </summary>
    public TimeSpan PreemptionGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A run preempted this many times within <see cref="PreemptionWindow"/> is not preempted again (no preemption loops).</summary>
    public int PreemptionProtectAfter { get; set; } = PreemptionRules.Default.ProtectAfter;

    /// <summary>The window <see cref="PreemptionProtectAfter"/> counts over.</summary>
    public TimeSpan PreemptionWindow { get; set; } = PreemptionRules.Default.Window;

    /// <summary>Preemption plans made per lease request, so one decision does not stop half the pool.</summary>
    public int MaxPreemptionPlans { get; set; } = PreemptionRules.Default.MaxPlans;
}
