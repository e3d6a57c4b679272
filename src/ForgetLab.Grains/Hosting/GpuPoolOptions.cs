namespace ForgetLab.Grains.Hosting;

/// <summary>How long leases last and how often expired ones are swept.</summary>
public sealed class GpuPoolOptions
{
    /// <summary>A lease lives this long after it is granted or last renewed by a heartbeat.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Period of the reminder that sweeps expired leases (Orleans reminders fire at most once a minute).</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
