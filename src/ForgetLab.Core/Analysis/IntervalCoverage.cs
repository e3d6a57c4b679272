namespace ForgetLab.Core.Analysis;

/// <summary>
/// Monte-Carlo coverage of the paired-difference intervals: draw n paired items from known cell
/// probabilities (base right/wrong × checkpoint right/wrong), compute each interval, and count how
/// often it contains the true difference. This is how docs/science.md shows that Newcombe's
/// interval stays near 95% where Wald's does not (few discordant items, small n, accuracies near
/// 0 or 1). Seeded, so a table regenerates exactly.
/// </summary>
public static class IntervalCoverage
{
    /// <summary>One cell of the grid and the share of its replicates each interval covered.</summary>
    /// <param name="LostRate">P(base right, checkpoint wrong).</param>
    /// <param name="GainedRate">P(base wrong, checkpoint right).</param>
    public sealed record Cell(int N, double BaseAccuracy, double LostRate, double GainedRate, int Replicates, double Newcombe, double Tango, double Wald)
    {
        public double TrueDifference => GainedRate - LostRate;
    }

    /// <summary>
    /// Simulates <paramref name="replicates"/> tables of <paramref name="n"/> items. Requires
    /// lostRate ≤ baseAccuracy and gainedRate ≤ 1 − baseAccuracy (the four cell probabilities are
    /// then non-negative).
    /// </summary>
    public static Cell Simulate(int n, double baseAccuracy, double lostRate, double gainedRate, int replicates, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicates, 1);
        if (!(lostRate >= 0 && lostRate <= baseAccuracy && gainedRate >= 0 && gainedRate <= 1 - baseAccuracy))
            throw new ArgumentOutOfRangeException(nameof(lostRate), "need 0 ≤ lost ≤ base accuracy and 0 ≤ gained ≤ 1 − base accuracy");

        var random = new Random(seed);
        var truth = gainedRate - lostRate;
        // Cumulative cell probabilities: both right, lost, gained, both wrong.
        var bothRight = baseAccuracy - lostRate;
        var upToLost = bothRight + lostRate;
        var upToGained = upToLost + gainedRate;
        int newcombe = 0, tango = 0, wald = 0;
        for (var r = 0; r < replicates; r++)
        {
            int a = 0, b = 0, c = 0, d = 0;
            for (var i = 0; i < n; i++)
            {
                var u = random.NextDouble();
                if (u < bothRight) a++;
                else if (u < upToLost) b++;
                else if (u < upToGained) c++;
                else d++;
            }

            if (Covers(PairedProportionInterval.Newcombe95(a, b, c, d), truth)) newcombe++;
            if (Covers(PairedProportionInterval.Tango95(b, c, n), truth)) tango++;
            if (Covers(PairedProportionInterval.Wald95(b, c, n), truth)) wald++;
        }

        return new Cell(n, baseAccuracy, lostRate, gainedRate, replicates, (double)newcombe / replicates, (double)tango / replicates, (double)wald / replicates);
    }

    /// <summary>
    /// The grid of docs/science.md: every n × base accuracy × (lost, gained) rates that is possible
    /// (lost ≤ accuracy, gained ≤ 1 − accuracy), each cell seeded from <paramref name="seed"/> and its index (HashCode is per-process random, so not that).
    /// </summary>
    public static IReadOnlyList<Cell> Grid(
        IReadOnlyList<int> ns, IReadOnlyList<double> baseAccuracies, IReadOnlyList<(double Lost, double Gained)> changes, int replicates, int seed)
    {
        var cells = new List<Cell>();
        foreach (var n in ns)
            foreach (var accuracy in baseAccuracies)
                foreach (var (lost, gained) in changes)
                    if (lost <= accuracy && gained <= 1 - accuracy)
                        cells.Add(Simulate(n, accuracy, lost, gained, replicates, unchecked(seed * 1_000_003 + cells.Count)));
        return cells;
    }

    // A hair of tolerance: a limit computed as exactly the true difference must count as covering it.
    private static bool Covers(ConfidenceInterval ci, double truth) => ci.Low <= truth + 1e-12 && truth - 1e-12 <= ci.High;
}
