using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Reports;

/// <summary>
/// One fine-tuning run: how it was configured and ended, its final suite results and the
/// summary numbers the frontier is drawn from.
/// </summary>
/// <param name="Method">Fine-tuning method, e.g. "full" or "lora".</param>
/// <param name="Hyperparameters">Everything needed to read the result fairly (learning rate, steps, rank…), as strings.</param>
/// <param name="Severity">Worst severity over banded suites; null when the run was never evaluated.</param>
/// <param name="TargetGainPoints">Mean delta over binary target suites, in points.</param>
/// <param name="ForgettingPoints">Largest drop over binary knowledge and skill suites, in points (≥ 0).</param>
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
    /// <summary>Why the run ended as it did when that was not plain completion (divergence, early stop, failure).</summary>
    public string? Reason { get; init; }
}
