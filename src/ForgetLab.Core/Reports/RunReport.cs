using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Reports;

/// <summary>
/// One fine-tuning run: how it was configured and ended, its final suite results and the
/// summary numbers the frontier is drawn from.
/// </summary>
/// <param name="Method">Fine-tuning method, e.g. "full" or "lora".</param>
/// <param name="Hyperparameters">Everything needed to read the result fairly (learning rate, steps, rank…), as strings.</param>
/// <param name="Severity">Run label (none, mild, moderate, severe, catastrophic; docs/science.md); null when the run was never evaluated.</param>
/// <param name="TargetGainPoints">Mean delta over binary target suites, in points.</param>
/// <param name="ForgettingPoints">Largest drop over binary knowledge and skill suites the base knows, in points (≥ 0).</param>
/// <param name="ParetoOptimal">Whether the run is on the report's frontier.</param>
/// <param name="Suites">Final suite results.</param>
/// <param name="Checkpoints">Intermediate evaluations, in step order.</param>
public sealed record RunReport(
    string Name,
    string Method,
    RunStatus Status,
    IReadOnlyDictionary<string, string> Hyperparameters,
    Severity? Severity,
    double TargetGainPoints,
    double ForgettingPoints,
    bool ParetoOptimal,
    IReadOnlyList<SuiteResult> Suites,
    IReadOnlyList<CheckpointReport> Checkpoints)
{
    /// <summary>
    /// The data files this run used, with their bounds, as a worker's job writes them into <c>run-report.json</c>; the
    /// platform gathers them into the report's <see cref="ForgettingReport.Data"/> (<see cref="ReportAssembly.WithRunData"/>),
    /// so a report's runs never carry them. Null (not written) in the lab's report.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DataFileReport>? Data { get; init; }

    /// <summary>Why the run ended as it did when that was not plain completion (divergence, early stop, failure).</summary>
    public string? Reason { get; init; }

    /// <summary>Share of the final checkpoint's gated knowledge and skill suites at chance (catastrophic above 1/2); null when none is gated or the run was never evaluated.</summary>
    public double? AtChanceShare { get; init; }

    /// <summary>
    /// Where the run's time went: training and evaluation wall seconds summed over its checkpoints (a resumed run's
    /// earlier jobs included; training a crashed job did after its last checkpoint is not); null when none was measured.
    /// </summary>
    public RunTime? Time =>
        Checkpoints.Any(c => c.TrainingSeconds is not null || c.EvaluationSeconds is not null)
            ? new RunTime(Checkpoints.Sum(c => c.TrainingSeconds ?? 0), Checkpoints.Sum(c => c.EvaluationSeconds ?? 0))
            : null;
}
