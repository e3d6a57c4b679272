namespace ForgetLab.Core.Analysis;

/// <summary>
/// The severity bands. A suite's band is assigned only to a drop that survives the Holm
/// correction, on a suite the base knows (<see cref="BaseGate"/>); a drop that leaves the suite at
/// chance labels the suite <see cref="Severity.AtChance"/> whatever its size in points, because
/// nothing above chance remains there. The bands describe a model, so a run is
/// <see cref="Severity.Catastrophic"/> only when knowledge is broadly gone — most of its gated
/// knowledge and skill suites at chance — and otherwise takes the worst point band of its suites.
/// </summary>
public static class SeverityBands
{
    public const double Alpha = 0.05;
    public const double ModerateFromPoints = 5.0;
    public const double SevereFromPoints = 15.0;
    public const double AtChanceRetentionBelow = 0.1;

    /// <summary>A run is catastrophic when more than this share of its gated knowledge and skill suites are at chance.</summary>
    public const double CatastrophicAtChanceShareAbove = 0.5;

    /// <summary>Classifies one binary suite's change: its point band, or at chance.</summary>
    /// <param name="deltaPoints">score_t − score_base in percentage points (negative is a drop).</param>
    /// <param name="pHolm">Holm-adjusted p-value of the paired test.</param>
    /// <param name="scoreFraction">Checkpoint score as a fraction in [0, 1].</param>
    /// <param name="chance">Chance level as a fraction, or null when undefined.</param>
    /// <param name="n">Paired items.</param>
    /// <param name="retention">Retention, or null when undefined.</param>
    public static Severity Classify(double deltaPoints, double pHolm, double scoreFraction, double? chance, int n, double? retention)
    {
        var band = PointBand(deltaPoints, pHolm);
        if (band == Severity.None)
        {
            return Severity.None;
        }

        return IsAtChance(scoreFraction, chance, n) || retention < AtChanceRetentionBelow ? Severity.AtChance : band;
    }

    /// <summary>The band by the size of a significant drop alone: none, mild (&lt; 5), moderate (5 to &lt; 15), severe (≥ 15 points).</summary>
    public static Severity PointBand(double deltaPoints, double pHolm)
    {
        if (pHolm >= Alpha || deltaPoints >= 0.0)
        {
            return Severity.None;
        }

        var drop = -deltaPoints;
        return drop >= SevereFromPoints ? Severity.Severe
            : drop >= ModerateFromPoints ? Severity.Moderate
            : Severity.Mild;
    }

    /// <summary>
    /// A run's label from its gated suites: catastrophic when more than half of the gated knowledge
    /// and skill suites are at chance (each suite weighs the same, whatever its size); otherwise the
    /// worst point band over all gated suites (an at-chance suite contributes the band of its drop);
    /// none when no suite is gated.
    /// </summary>
    /// <param name="pointBands">Point band of every gated, banded suite.</param>
    /// <param name="knowledgeSuites">Gated knowledge and skill suites.</param>
    /// <param name="knowledgeAtChance">Of those, the ones at chance.</param>
    public static Severity Run(IEnumerable<Severity> pointBands, int knowledgeSuites, int knowledgeAtChance)
    {
        ArgumentNullException.ThrowIfNull(pointBands);
        if (AtChanceShare(knowledgeSuites, knowledgeAtChance) > CatastrophicAtChanceShareAbove)
        {
            return Severity.Catastrophic;
        }

        return pointBands.DefaultIfEmpty(Severity.None).Max();
    }

    /// <summary>Share of the gated knowledge and skill suites at chance; null when there are none.</summary>
    public static double? AtChanceShare(int knowledgeSuites, int knowledgeAtChance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(knowledgeAtChance);
        ArgumentOutOfRangeException.ThrowIfLessThan(knowledgeSuites, knowledgeAtChance);
        return knowledgeSuites == 0 ? null : (double)knowledgeAtChance / knowledgeSuites;
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
