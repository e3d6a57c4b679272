using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>
/// A training step done (<c>progress</c>): its loss, the tokens it trained on and its wall time (for the worker's throughput
/// metrics), and for a reward fine-tuning step its reward, KL, entropy and length (<c>rl</c>, null for a supervised step).
/// </summary>
public sealed record TrainingProgress(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("total_steps")] long TotalSteps,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("step_tokens")] long StepTokens,
    [property: JsonPropertyName("step_seconds")] double StepSeconds,
    [property: JsonPropertyName("rl")] JobRlStep? Rl = null) : JobEvent;
