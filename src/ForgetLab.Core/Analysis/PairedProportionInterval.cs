namespace ForgetLab.Core.Analysis;

/// <summary>
/// 95% intervals for the difference of two paired proportions (checkpoint − base). Reports use
/// Tango's score interval: no seed, never outside [−1, 1], of non-zero width when nothing or
/// everything changed, and in the coverage simulation of docs/science.md the closest to 95% at the
/// edges. Newcombe's hybrid score interval (method 10) ran a close second but falls to about 89%
/// when few items change on a suite near 50% (many concordant items both ways shrink it); Wald's
/// collapses to zero width and its coverage to a few percent. Both are kept for that comparison.
/// </summary>
public static class PairedProportionInterval
{
    /// <summary>Two-sided 97.5% standard normal quantile.</summary>
    public const double Z975 = 1.959963984540054;

    /// <summary>
    /// Newcombe (1998, Stat Med 17:2635) method 10. With p₁ = checkpoint accuracy, p₂ = base
    /// accuracy, D = p₁ − p₂ = (gained − lost)/n, (l₁, u₁) and (l₂, u₂) their Wilson score
    /// intervals and φ the continuity-corrected correlation of the paired outcomes:
    /// L = D − sqrt((p₁ − l₁)² − 2φ(p₁ − l₁)(u₂ − p₂) + (u₂ − p₂)²),
    /// U = D + sqrt((u₁ − p₁)² − 2φ(u₁ − p₁)(p₂ − l₂) + (p₂ − l₂)²).
    /// φ = (A − n/2)/√(row and column totals' product) for A = ad − bc &gt; n/2, 0 for 0 ≤ A ≤ n/2,
    /// A/√(…) for A &lt; 0, and 0 when a margin is empty.
    /// </summary>
    /// <param name="bothCorrect">Items right at base and at the checkpoint.</param>
    /// <param name="lost">Items right at base, wrong at the checkpoint.</param>
    /// <param name="gained">Items wrong at base, right at the checkpoint.</param>
    /// <param name="bothWrong">Items wrong at base and at the checkpoint.</param>
    /// <returns>The interval as fractions (multiply by 100 for points).</returns>
    public static ConfidenceInterval Newcombe95(int bothCorrect, int lost, int gained, int bothWrong)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bothCorrect);
        ArgumentOutOfRangeException.ThrowIfNegative(lost);
        ArgumentOutOfRangeException.ThrowIfNegative(gained);
        ArgumentOutOfRangeException.ThrowIfNegative(bothWrong);
        double a = bothCorrect, f = gained, g = lost, h = bothWrong;
        var n = a + f + g + h;
        ArgumentOutOfRangeException.ThrowIfZero(n, "n");

        // In Newcombe's table, the first proportion is the checkpoint's (a + f), the second the base's (a + g).
        var p1 = (a + f) / n;
        var p2 = (a + g) / n;
        var (l1, u1) = Wilson(a + f, n);
        var (l2, u2) = Wilson(a + g, n);
        var margins = (a + f) * (g + h) * (a + g) * (f + h);
        var phi = 0.0;
        if (margins > 0)
        {
            var cross = a * h - f * g;
            phi = cross > n / 2 ? (cross - n / 2) / Math.Sqrt(margins)
                : cross >= 0 ? 0.0
                : cross / Math.Sqrt(margins);
        }

        var d = p1 - p2;
        var below = Math.Sqrt(Math.Max(0.0, Square(p1 - l1) - 2 * phi * (p1 - l1) * (u2 - p2) + Square(u2 - p2)));
        var above = Math.Sqrt(Math.Max(0.0, Square(u1 - p1) - 2 * phi * (u1 - p1) * (p2 - l2) + Square(p2 - l2)));
        return new ConfidenceInterval(Math.Max(-1.0, d - below), Math.Min(1.0, d + above));
    }

    /// <summary>
    /// Tango's (1998, Stat Med 17:891) asymptotic score interval: every Δ the score test of
    /// "difference = Δ" does not reject at 5%, with Z(Δ) = (c − b − nΔ)/sqrt(n(2q̃ + Δ(1 − Δ))) and
    /// q̃ the restricted maximum-likelihood estimate of P(lost) under Δ, the positive root of
    /// 2n·q² + (−b − c + (2n − c + b)Δ)·q − bΔ(1 − Δ) = 0. It depends on the discordant counts
    /// only. Limits are found by bisection to 1e-10 (Z falls as Δ grows).
    /// </summary>
    /// <param name="lost">Items right at base, wrong at the checkpoint (b).</param>
    /// <param name="gained">Items wrong at base, right at the checkpoint (c).</param>
    /// <param name="n">All paired items.</param>
    public static ConfidenceInterval Tango95(int lost, int gained, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lost);
        ArgumentOutOfRangeException.ThrowIfNegative(gained);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, lost + gained);
        ArgumentOutOfRangeException.ThrowIfZero(n);
        const double edge = 1e-12;
        var estimate = (double)(gained - lost) / n;
        var low = lost == n ? -1.0 : Root(d => TangoZ(d, gained, lost, n) - Z975, -1 + edge, estimate);
        var high = gained == n ? 1.0 : Root(d => TangoZ(d, gained, lost, n) + Z975, estimate, 1 - edge);
        return new ConfidenceInterval(low, high);
    }

    /// <summary>Tango's score statistic at Δ, with n12 = gained (checkpoint right only) and n21 = lost.</summary>
    private static double TangoZ(double delta, int n12, int n21, int n)
    {
        var a = 2.0 * n;
        var b = -n12 - n21 + (2.0 * n - n12 + n21) * delta;
        var c = -n21 * delta * (1 - delta);
        var q = (Math.Sqrt(Math.Max(0.0, b * b - 4 * a * c)) - b) / (2 * a);
        var numerator = n12 - n21 - n * delta;
        var variance = n * (2 * q + delta * (1 - delta));
        if (variance <= 0) return numerator == 0 ? 0.0 : numerator > 0 ? double.PositiveInfinity : double.NegativeInfinity;
        return numerator / Math.Sqrt(variance);
    }

    /// <summary>Bisection for a decreasing f on [lo, hi]; an end where f already has the far sign is returned as is.</summary>
    private static double Root(Func<double, double> f, double lo, double hi)
    {
        if (f(lo) <= 0) return Math.Max(-1.0, Math.Round(lo, 10));
        if (f(hi) >= 0) return Math.Min(1.0, Math.Round(hi, 10));
        for (var i = 0; i < 200 && hi - lo > 1e-12; i++)
        {
            var mid = (lo + hi) / 2;
            if (f(mid) > 0) lo = mid;
            else hi = mid;
        }

        return (lo + hi) / 2;
    }

    /// <summary>
    /// Wilson's score interval for one proportion x/n at 95%:
    /// (x/n + z²/2n ± z·sqrt(x/n·(1 − x/n)/n + z²/4n²)) / (1 + z²/n). Never outside [0, 1], and
    /// of non-zero width at x = 0 and x = n.
    /// </summary>
    public static ConfidenceInterval Wilson95(int successes, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, successes);
        ArgumentOutOfRangeException.ThrowIfZero(n);
        var (low, high) = Wilson(successes, n);
        return new ConfidenceInterval(low, high);
    }

    /// <summary>
    /// The Wald-type interval, d = (c − b)/n, se = sqrt(b + c − (b − c)²/n)/n, d ± z·se clamped to
    /// [−1, 1]. Not used in reports: it has zero width whenever b or c is 0 and b + c = n, and its
    /// coverage falls far below 95% with few discordant items (docs/science.md).
    /// </summary>
    /// <param name="b">Items correct at base, wrong at the checkpoint.</param>
    /// <param name="c">Items wrong at base, correct at the checkpoint.</param>
    /// <param name="n">All paired items.</param>
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

    private static (double Low, double High) Wilson(double successes, double n)
    {
        const double z2 = Z975 * Z975;
        var p = successes / n;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = Z975 * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
        return (Math.Max(0.0, centre - half), Math.Min(1.0, centre + half));
    }

    private static double Square(double x) => x * x;
}
