namespace ForgetLab.Core.Analysis;

/// <summary>
/// Wald-type 95% interval for the difference of two paired proportions (checkpoint − base).
/// Chosen over a bootstrap for binary suites because it is closed-form, needs no seed and can
/// be checked by hand; significance itself comes from the exact McNemar test, so the interval
/// is descriptive and its known optimism at very small discordant counts decides nothing.
/// </summary>
public static class PairedProportionInterval
{
    /// <summary>Two-sided 97.5% standard normal quantile.</summary>
    public const double Z975 = 1.959963984540054;

    /// <summary>
    /// d = (c − b)/n, se = sqrt(b + c − (b − c)²/n)/n, interval d ± z·se clamped to [−1, 1].
    /// </summary>
    /// <param name="b">Items correct at base, wrong at the checkpoint.</param>
    /// <param name="c">Items wrong at base, correct at the checkpoint.</param>
    /// <param name="n">All paired items.</param>
    /// <returns>The interval as fractions (multiply by 100 for points).</returns>
    public static ConfidenceInterval Wald95(int b, int c, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, b + c);
        ArgumentOutOfRangeException.ThrowIfZero(n);

        var d = (double)(c - b) / n;
        var discordantVariance = b + c - (double)(b - c) * (b - c) / n;
        var se = Math.Sqrt(Math.Max(0.0, discordantVariance)) / n;
        return new ConfidenceInterval(
            Math.Max(-1.0, d - Z975 * se),
            Math.Min(1.0, d + Z975 * se));
    }
}
