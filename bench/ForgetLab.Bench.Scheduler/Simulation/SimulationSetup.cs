namespace ForgetLab.Bench.Scheduler.Simulation;

/// <summary>A simulated tenant: weight in the fair share, guaranteed devices, and its share of the arrivals.</summary>
internal sealed record SimTenant(string Id, double Weight, int Guaranteed, double Demand);

/// <summary>The simulated pool, workload and policy knobs; every figure in docs/benchmarks.md names these.</summary>
internal sealed record SimulationSetup
{
    public int Workers { get; init; } = 96;
    public int DevicesPerWorker { get; init; } = 8;

    /// <summary>Half the workers have devices of this much memory, half of <see cref="LargeDeviceGiB"/>.</summary>
    public int SmallDeviceGiB { get; init; } = 40;
    public int LargeDeviceGiB { get; init; } = 80;

    public double HorizonHours { get; init; } = 7 * 24;
    public double Load { get; init; } = 0.95;
    public double MedianHours { get; init; } = 1.5;
    public double Sigma { get; init; } = 1.0;
    public (int Devices, double Probability)[] Sizes { get; init; } = [(1, 0.55), (2, 0.20), (4, 0.15), (8, 0.10)];
    public double HighShare { get; init; } = 0.15;
    public double LowShare { get; init; } = 0.25;
    public double LargeMemoryShare { get; init; } = 0.30;
    public int LargeMemoryGiB { get; init; } = 60;
    public int SmallMemoryGiB { get; init; } = 20;
    public double BurstHours { get; init; } = 2;
    public double CalmHours { get; init; } = 6;

    /// <summary>Runs checkpoint every this many hours of training.</summary>
    public double CheckpointEveryHours { get; init; } = 0.5;

    /// <summary>A preempted run's final checkpoint takes this long (devices held), and loading it on resume this long again.</summary>
    public double CheckpointHours { get; init; } = 2.0 / 60;
    public double ResumeHours { get; init; } = 3.0 / 60;

    /// <summary>A run placed on a device without its memory fails (out of memory) this long after it starts, and is resubmitted.</summary>
    public double OutOfMemoryAfterHours { get; init; } = 3.0 / 60;

    public TimeSpan GangWaitBound { get; init; } = TimeSpan.FromHours(1);
    public int MaxGangReservations { get; init; } = 6;
    public double SampleEveryHours { get; init; } = 0.25;

    public IReadOnlyList<SimTenant> Tenants { get; init; } = DefaultTenants();

    public int DeviceCount => Workers * DevicesPerWorker;

    /// <summary>12 tenants, weights 1/2/4; guarantees split 80% of the pool by weight; demand skewed (some over, some under their share).</summary>
    private static List<SimTenant> DefaultTenants()
    {
        double[] weights = [1, 2, 4, 1, 2, 4, 1, 2, 4, 1, 2, 4];
        double[] demand = [3, 1, 4, 0.5, 2, 6, 1, 3, 2, 2, 0.5, 5];
        var total = weights.Sum();
        return [.. weights.Select((w, i) => new SimTenant($"t{i:D2}", w, (int)Math.Floor(0.8 * 96 * 8 * w / total), demand[i]))];
    }
}
