namespace ForgetLab.Grains.Hosting;

/// <summary>How long leases last, how often expired ones are swept, and when multi-device runs reserve a worker.</summary>
public sealed class GpuPoolOptions
{
    /// <summary>A lease lives this long after it is granted or last renewed by a heartbeat.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Period of the reminder that sweeps expired leases (Orleans reminders fire at most once a minute).</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A multi-device run queued this long reserves a draining worker (gang placement without starvation).</summary>
    public TimeSpan GangWaitBound { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Workers held for gang runs at once; each one held is a worker that takes no new small runs while it drains.</summary>
    public int MaxGangReservations { get; set; } = 4;
}
