namespace ForgetLab.Core.Analysis;

/// <summary>
/// One suite of one checkpoint compared with the base on the items both were scored on, before
/// the report-wide Holm correction (which needs every suite of the report).
/// </summary>
/// <param name="Base">Base score: percent for binary suites, metric units for continuous ones.</param>
/// <param name="Score">Checkpoint score, same units as <paramref name="Base"/>.</param>
/// <param name="DeltaPoints">Score − Base: percentage points (binary) or metric units (continuous).</param>
/// <param name="RelativeChange">Continuous only: 100·delta/|base| in percent; null for binary or a zero base.</param>
/// <param name="Ci95">95% interval on the delta, same units as the delta.</param>
/// <param name="PValue">Unadjusted two-sided p-value: exact McNemar (binary) or paired bootstrap (continuous).</param>
/// <param name="Retention">Binary only: (score_t − chance)/(score_base − chance) on fractions; null when undefined.</param>
/// <param name="N">Paired items.</param>
/// <param name="Unpaired">Items scored on only one side and therefore left out.</param>
/// <param name="Lost">Binary only: items correct at base and wrong at the checkpoint.</param>
/// <param name="Gained">Binary only: items wrong at base and correct at the checkpoint.</param>
public sealed record SuiteComparison(
    string Suite,
    string Version,
    SuiteCategory Category,
    OutcomeKind Kind,
    string Metric,
    bool HigherIsBetter,
    double? Chance,
    double Base,
    double Score,
    double DeltaPoints,
    double? RelativeChange,
    ConfidenceInterval Ci95,
    double PValue,
    double? Retention,
    int N,
    int Unpaired,
    IReadOnlyList<string> Lost,
    IReadOnlyList<string> Gained)
{
    /// <summary>Binary only: items the base got right (of the <see cref="N"/> paired ones); 0 for continuous suites.</summary>
    public int BaseCorrect { get; init; }

    /// <summary>Binary only: of the items the base got right, the share the checkpoint still gets right; null when the base got none right.</summary>
    public double? KnownItemRetention { get; init; }

    /// <summary>Wilson 95% interval of <see cref="KnownItemRetention"/> (fractions); null with it.</summary>
    public ConfidenceInterval? KnownItemRetentionCi95 { get; init; }
}
