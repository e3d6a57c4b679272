namespace ForgetLab.Core.Analysis;

/// <summary>
/// Holm's step-down correction across the suites of one report: a report tests many suites at
/// once, and without a correction one of ten unchanged suites would look "significantly"
/// forgotten about 40% of the time. Holm controls the family-wise error rate like Bonferroni but
/// is uniformly more powerful.
/// </summary>
public static class Holm
{
    /// <summary>
    /// Adjusted p-values in input order: sort ascending, p̃₍ᵢ₎ = max over j ≤ i of
    /// min(1, (m − j + 1)·p₍ⱼ₎) with 1-based ranks.
    /// </summary>
    public static IReadOnlyList<double> Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        for (var i = 0; i < m; i++)
        {
            if (double.IsNaN(pValues[i]) || pValues[i] < 0.0 || pValues[i] > 1.0)
            {
                throw new ArgumentOutOfRangeException(nameof(pValues), $"p-value {i} is {pValues[i]}, not in [0, 1].");
            }
        }

        // Stable order so equal p-values keep their input order (the result is the same either way).
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var runningMax = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            var index = order[rank];
            var candidate = Math.Min(1.0, (m - rank) * pValues[index]);
            runningMax = Math.Max(runningMax, candidate);
            adjusted[index] = runningMax;
        }

        return adjusted;
    }
}
