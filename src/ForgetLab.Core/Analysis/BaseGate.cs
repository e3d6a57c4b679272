namespace ForgetLab.Core.Analysis;

/// <summary>
/// What a base model must show on a retention suite before a change there is read as
/// forgetting: a score significantly above chance, and enough items known above chance. A suite
/// the base never knew cannot lose anything, and one it barely knew cannot show the bands' drops.
/// The defaults and their reasons are in docs/science.md.
/// </summary>
/// <param name="Alpha">One-sided level of the exact binomial test "base score above chance".</param>
/// <param name="MinKnownItems">Least number of items known above chance (correct − n·chance); 0 turns the count off.</param>
public sealed record BaseGate(double Alpha = BaseGate.DefaultAlpha, int MinKnownItems = BaseGate.DefaultMinKnownItems)
{
    public const double DefaultAlpha = 0.05;

    /// <summary>
    /// 20: with 20 items known, losing half of them (10 lost, none gained) gives an exact McNemar
    /// p of 2·2⁻¹⁰ ≈ 0.002, which stays below 0.05 after Holm in a report of up to 25 suites; with
    /// fewer known items a suite cannot show even that much forgetting as significant.
    /// </summary>
    public const int DefaultMinKnownItems = 20;

    public static BaseGate Default { get; } = new();
}
