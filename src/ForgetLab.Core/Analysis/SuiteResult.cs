namespace ForgetLab.Core.Analysis;

/// <summary>
/// One suite of one run (or checkpoint) against the base: what the analysis concludes, and what the
/// report contract (<c>Reports/</c>) carries.
/// Units: binary suites in percent and percentage points, continuous suites in metric units.
/// </summary>
/// <param name="Base">Base score (percent for binary suites).</param>
/// <param name="Score">Checkpoint score (percent for binary suites).</param>
/// <param name="DeltaPoints">Score − Base: points (binary) or metric units (continuous).</param>
/// <param name="RelativeChange">Continuous only: delta as percent of |base|; null for binary suites.</param>
/// <param name="Ci95">[low, high] 95% interval on the delta.</param>
/// <param name="PValue">Unadjusted paired p-value.</param>
/// <param name="PHolm">Holm-adjusted p-value across the suites of the same report.</param>
/// <param name="Severity">Band for binary retention suites; null for continuous, target and overwritten suites.</param>
/// <param name="Retention">Binary only; null when chance is unknown or the base is not above chance.</param>
/// <param name="Lost">Item ids correct at base and wrong here.</param>
/// <param name="Gained">Item ids wrong at base and correct here.</param>
public sealed record SuiteResult(
    string Suite,
    string Version,
    SuiteCategory Category,
    string Metric,
    OutcomeKind Kind,
    double Base,
    double Score,
    double DeltaPoints,
    double? RelativeChange,
    IReadOnlyList<double> Ci95,
    double PValue,
    double PHolm,
    Severity? Severity,
    double? Retention,
    int N,
    IReadOnlyList<string> Lost,
    IReadOnlyList<string> Gained)
{
    /// <summary>
    /// The metric's direction as the suite stated it (defaulted from its metric when it did not);
    /// null in reports written before the report carried it. Read it through <see cref="IsHigherBetter"/>.
    /// </summary>
    public bool? HigherIsBetter { get; init; }

    /// <summary>Whether a higher score is better: the recorded direction, or for an older report the metric's default.</summary>
    public bool IsHigherBetter() => HigherIsBetter ?? MetricDirection.HigherIsBetter(Metric, Kind);
}
