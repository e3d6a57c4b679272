using MathNet.Numerics;

namespace ForgetLab.Core.Analysis;

/// <summary>
/// Whether the base model knows a retention suite (<see cref="BaseGate"/>). A suite it does not
/// know is still reported with its delta and test, but gets no severity band and enters neither
/// run severity nor forgetting: a drop there is neither forgetting nor, when absent, robustness.
/// </summary>
/// <param name="Known">Both tests passed.</param>
/// <param name="Correct">Items the base got right.</param>
/// <param name="KnownItems">Items known above chance: correct − n·chance (correct when chance is unknown).</param>
/// <param name="PAboveChance">One-sided exact binomial p of "base no better than chance"; null when chance is unknown.</param>
/// <param name="Alpha">The gate's level.</param>
/// <param name="MinKnownItems">The gate's least number of known items.</param>
public sealed record BaseCompetence(bool Known, int Correct, double KnownItems, double? PAboveChance, double Alpha, int MinKnownItems)
{
    /// <summary>The one label every view shows for a suite that fails the gate.</summary>
    public const string NotKnownLabel = "base does not know this suite";

    /// <summary>
    /// Tests the base's <paramref name="correct"/> of <paramref name="n"/> items against chance:
    /// p = P(X ≥ correct) for X ~ Binomial(n, chance) must be below alpha, and correct − n·chance
    /// must reach the gate's minimum. With chance 0 (exact match) any correct item is above chance,
    /// so the count decides; with chance unknown only the count (of correct items) applies.
    /// </summary>
    public static BaseCompetence Assess(int correct, int n, double? chance, BaseGate gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentOutOfRangeException.ThrowIfNegative(correct);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, correct);
        ArgumentOutOfRangeException.ThrowIfZero(n);
        double? p = chance is { } c ? UpperTail(correct, n, c) : null;
        var known = correct - n * (chance ?? 0.0);
        var passes = (p is null || p < gate.Alpha) && known >= gate.MinKnownItems;
        return new BaseCompetence(passes, correct, known, p, gate.Alpha, gate.MinKnownItems);
    }

    /// <summary>P(X ≥ k) for X ~ Binomial(n, p) as the regularized incomplete beta I_p(k, n − k + 1): exact, no cancellation.</summary>
    internal static double UpperTail(int k, int n, double p) =>
        k == 0 ? 1.0
        : p <= 0.0 ? 0.0
        : p >= 1.0 ? 1.0
        : SpecialFunctions.BetaRegularized(k, n - k + 1, p);
}
