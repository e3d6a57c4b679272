namespace ForgetLab.Core.Analysis;

/// <summary>
/// Share of the base model's above-chance skill that a checkpoint keeps. Measured above chance
/// because a 4-way multiple-choice suite at 25% has lost everything even though "25% of the
/// score" remains.
/// </summary>
public static class Retention
{
    /// <summary>
    /// (score_t − chance)/(score_base − chance); null when chance is unknown or the base is not
    /// above chance (nothing to retain). Scores and chance on the same scale (fractions).
    /// </summary>
    public static double? Compute(double scoreBase, double scoreCheckpoint, double? chance)
    {
        if (chance is not { } c || !(scoreBase > c))
        {
            return null;
        }

        return (scoreCheckpoint - c) / (scoreBase - c);
    }
}
