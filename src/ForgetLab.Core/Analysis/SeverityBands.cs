namespace ForgetLab.Core.Analysis;

/// <summary>
/// The severity bands for a drop on an accuracy-type retention suite. A band is only assigned to
/// a drop that survives the Holm correction; a drop that leaves the model at chance is
/// catastrophic whatever its size in points, because nothing above chance remains.
/// </summary>
public static class SeverityBands
{
    public const double Alpha = 0.05;
    public const double ModerateFromPoints = 5.0;
    public const double SevereFromPoints = 15.0;
    public const double CatastrophicRetentionBelow = 0.1;

    /// <summary>
    /// Classifies one binary suite's change.
    /// </summary>
    /// <param name="deltaPoints">score_t − score_base in percentage points (negative is a drop).</param>
    /// <param name="pHolm">Holm-adjusted p-value of the paired test.</param>
    /// <param name="scoreFraction">Checkpoint score as a fraction in [0, 1].</param>
    /// <param name="chance">Chance level as a fraction, or null when undefined.</param>
    /// <param name="n">Paired items.</param>
    /// <param name="retention">Retention, or null when undefined.</param>
    public static Severity Classify(double deltaPoints, double pHolm, double scoreFraction, double? chance, int n, double? retention)
    {
        if (pHolm >= Alpha || deltaPoints >= 0.0)
        {
            return Severity.None;
        }

        if (IsAtChance(scoreFraction, chance, n) || retention < CatastrophicRetentionBelow)
        {
            return Severity.Catastrophic;
        }

        var drop = -deltaPoints;
        return drop >= SevereFromPoints ? Severity.Severe
            : drop >= ModerateFromPoints ? Severity.Moderate
            : Severity.Mild;
    }

    /// <summary>
    /// True when the score is no more than two binomial standard errors of a chance-level
    /// guesser above chance, SE = sqrt(chance·(1 − chance)/n). Scores below chance count too:
    /// a model systematically wrong has not kept the skill either.
    /// </summary>
    public static bool IsAtChance(double scoreFraction, double? chance, int n)
    {
        if (chance is not { } c || n <= 0)
        {
            return false;
        }

        var se = Math.Sqrt(c * (1.0 - c) / n);
        return scoreFraction <= c + 2.0 * se;
    }
}
