using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>
/// <paramref name="Done"/> of <paramref name="Total"/> suites scored at a checkpoint (<c>evaluation_progress</c>),
/// <paramref name="Suite"/> the next one (null once all are done). For a progress display: a job keeps it off its stdout,
/// where <see cref="EvaluationStarted"/> and <see cref="CheckpointEvaluated"/> say all the worker needs.
/// </summary>
public sealed record EvaluationProgress(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("done")] int Done,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("suite")] string? Suite) : JobEvent;
