namespace ForgetLab.Core.Analysis;

/// <summary>
/// Exact McNemar test for paired binary outcomes. Only discordant items carry information
/// about a change, and under "no change" each is equally likely to go either way, so the
/// count of one kind is Binomial(b + c, 1/2). Exact rather than chi-square because retention
/// suites often have few discordant items, where the asymptotic test is badly calibrated.
/// </summary>
public static class McNemar
{
    /// <summary>
    /// Two-sided exact p-value: min(1, 2·P(X ≤ min(b, c))) with X ~ Binomial(b + c, 1/2).
    /// </summary>
    /// <param name="b">Items correct at base and wrong at the checkpoint (lost).</param>
    /// <param name="c">Items wrong at base and correct at the checkpoint (gained).</param>
    public static double ExactPValue(int b, int c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        var n = b + c;
        if (n == 0)
        {
            return 1.0;
        }

        var k = Math.Min(b, c);
        // Sum the lower tail in log space: C(n, i)·2^-n underflows a double long before
        // n reaches the sizes of large suites (2^-1075 is already zero).
        var logHalfPowN = -n * Math.Log(2.0);
        var logTail = double.NegativeInfinity;
        var logChoose = 0.0; // log C(n, 0)
        for (var i = 0; i <= k; i++)
        {
            if (i > 0)
            {
                logChoose += Math.Log(n - i + 1) - Math.Log(i);
            }

            logTail = LogAddExp(logTail, logChoose + logHalfPowN);
        }

        return Math.Min(1.0, 2.0 * Math.Exp(logTail));
    }

    private static double LogAddExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }

        var max = Math.Max(a, b);
        return max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
    }
}
