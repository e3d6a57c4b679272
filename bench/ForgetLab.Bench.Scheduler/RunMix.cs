namespace ForgetLab.Bench.Scheduler;

/// <summary>How many devices the simulated runs ask for.</summary>
internal sealed record RunMix(string Name, (int Devices, double Probability)[] Sizes)
{
    public static RunMix[] All { get; } =
    [
        new("1-device runs", [(1, 1.0)]),
        new("mixed 1/2/4-device runs (80/15/5%)", [(1, 0.80), (2, 0.15), (4, 0.05)]),
    ];

    public int Draw(Random random)
    {
        var u = random.NextDouble();
        foreach (var (devices, probability) in Sizes)
        {
            if ((u -= probability) < 0) return devices;
        }

        return Sizes[^1].Devices;
    }
}
