using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>
/// The checkpoint was scored (<c>checkpoint_evaluated</c>): per-suite scores, its <c>items.jsonl</c> and
/// <c>checkpoint-report.json</c> in <paramref name="Folder"/>, the items scored over all suites and the wall time it took.
/// </summary>
public sealed record CheckpointEvaluated(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("scores")] IReadOnlyList<JobSuiteScore> Scores,
    [property: JsonPropertyName("eval_items")] long EvalItems,
    [property: JsonPropertyName("eval_seconds")] double EvalSeconds) : JobEvent;
