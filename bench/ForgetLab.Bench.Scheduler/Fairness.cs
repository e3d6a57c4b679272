namespace ForgetLab.Bench.Scheduler;

/// <summary>
/// Each tenant's allocation against its weighted share of the devices in use,
/// share_i = inUse · w_i / Σw (every tenant has more queued demand than its share).
/// </summary>
internal sealed record Fairness(int InUse, double MaxDevices, double MeanDevices, double MaxPercent, double MeanPercent)
{
    public static Fairness Of(IReadOnlyDictionary<string, int> allocated, IReadOnlyDictionary<string, double> weights)
    {
        var inUse = allocated.Values.Sum();
        var totalWeight = weights.Values.Sum();
        var deviations = weights.Select(pair =>
        {
            var share = inUse * pair.Value / totalWeight;
            var off = Math.Abs(allocated.GetValueOrDefault(pair.Key) - share);
            return (Devices: off, Percent: 100 * off / share);
        }).ToArray();
        return new Fairness(
            inUse,
            deviations.Max(d => d.Devices),
            deviations.Average(d => d.Devices),
            deviations.Max(d => d.Percent),
            deviations.Average(d => d.Percent));
    }
}
