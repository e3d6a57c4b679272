using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>Training begins (<c>started</c>) at <paramref name="Step"/>: 0, or the step resumed from; checkpoints go under <paramref name="Folder"/>.</summary>
public sealed record TrainingStarted(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("total_steps")] long TotalSteps,
    [property: JsonPropertyName("folder")] string Folder) : JobEvent;
