namespace ForgetLab.Core.Analysis;

/// <summary>
/// Seeded paired bootstrap for continuous per-item outcomes (nats/token, KL). Items are
/// resampled as pairs, so the item-to-item variation both models share cancels, which is the
/// whole point of evaluating base and checkpoint on the same items. Seeded so a report can be
/// regenerated bit for bit.
/// </summary>
public static class PairedBootstrap
{
    public const int DefaultResamples = 10_000;

    /// <summary>
    /// Resamples item indices with replacement <paramref name="resamples"/> times and returns the
    /// observed mean difference, the 2.5/97.5 percentiles of the resampled means (linear
    /// interpolation between order statistics) and p = 2·min(share ≤ 0, share ≥ 0), clamped to
    /// [1/(B+1), 1]; p = 1 when every per-item difference is 0.
    /// </summary>
    public static BootstrapResult Run(
        IReadOnlyList<double> baseline,
        IReadOnlyList<double> checkpoint,
        int seed,
        int resamples = DefaultResamples)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (baseline.Count != checkpoint.Count)
        {
            throw new ArgumentException(
                $"Paired samples differ in length ({baseline.Count} vs {checkpoint.Count}).", nameof(checkpoint));
        }

        ArgumentOutOfRangeException.ThrowIfZero(baseline.Count, nameof(baseline));
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);

        var n = baseline.Count;
        var diffs = new double[n];
        var allZero = true;
        for (var i = 0; i < n; i++)
        {
            diffs[i] = checkpoint[i] - baseline[i];
            if (!double.IsFinite(diffs[i]))
            {
                throw new ArgumentException($"Item {i} has a non-finite difference.", nameof(checkpoint));
            }

            allZero &= diffs[i] == 0.0;
        }

        var observed = diffs.Average();
        if (allZero)
        {
            // Every resample is exactly 0: no evidence of change, and a degenerate interval.
            return new BootstrapResult(0.0, new ConfidenceInterval(0.0, 0.0), 1.0, resamples);
        }

        var random = new Random(seed);
        var means = new double[resamples];
        int atOrBelowZero = 0, atOrAboveZero = 0;
        for (var r = 0; r < resamples; r++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += diffs[random.Next(n)];
            }

            var mean = sum / n;
            means[r] = mean;
            if (mean <= 0.0)
            {
                atOrBelowZero++;
            }

            if (mean >= 0.0)
            {
                atOrAboveZero++;
            }
        }

        Array.Sort(means);
        var ci = new ConfidenceInterval(Percentile(means, 0.025), Percentile(means, 0.975));
        var p = 2.0 * Math.Min(atOrBelowZero, atOrAboveZero) / resamples;
        p = Math.Clamp(p, 1.0 / (resamples + 1), 1.0);
        return new BootstrapResult(observed, ci, p, resamples);
    }

    /// <summary>Percentile of sorted data with linear interpolation (Hyndman–Fan type 7).</summary>
    internal static double Percentile(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
