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
/// <param name="Severity">Suite label for binary retention suites the base knows (none, mild, moderate, severe, at_chance); null for continuous, target and overwritten suites and for suites the base does not know.</param>
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
    /// Whether the base knows this suite (<see cref="BaseCompetence"/>), for binary retention suites;
    /// null where no band applies (continuous, target, overwritten). When not known, the suite has no
    /// severity and counts in neither run severity nor forgetting.
    /// </summary>
    public BaseCompetence? BaseCompetence { get; init; }

    /// <summary>Binary only: of the items the base got right, the share still right here; null when the base got none right.</summary>
    public double? KnownItemRetention { get; init; }

    /// <summary>[low, high] Wilson 95% interval of <see cref="KnownItemRetention"/>, as fractions; null with it.</summary>
    public IReadOnlyList<double>? KnownItemRetentionCi95 { get; init; }

    /// <summary>True when a band applies but the base does not know the suite: shown as <see cref="Analysis.BaseCompetence.NotKnownLabel"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool NotKnownByBase => BaseCompetence is { Known: false };

    /// <summary>
    /// The metric's direction as the suite stated it (defaulted from its metric when it did not);
    /// null in reports written before the report carried it. Read it through <see cref="IsHigherBetter"/>.
    /// </summary>
    public bool? HigherIsBetter { get; init; }

    /// <summary>Whether a higher score is better: the recorded direction, or for an older report the metric's default.</summary>
    public bool IsHigherBetter() => HigherIsBetter ?? MetricDirection.HigherIsBetter(Metric, Kind);
}
