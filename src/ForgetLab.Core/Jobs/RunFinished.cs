using System.Text.Json.Serialization;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Jobs;

/// <summary>
/// The run reached an outcome (<c>finished</c>): its <see cref="RunStatus"/> (a run that diverged or threw
/// included), the last evaluated step (null when none was), why it ended so (early stopping, divergence, the
/// error), and the run folder holding <c>run-report.json</c>.
/// </summary>
public sealed record RunFinished(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("status")] RunStatus Status,
    [property: JsonPropertyName("step")] long? Step,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("folder")] string Folder) : JobEvent;
