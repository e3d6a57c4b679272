using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>Preparation (<c>phase</c>): <paramref name="Step"/> of <paramref name="TotalSteps"/> of pre-training or of the baseline's suites.</summary>
public sealed record PreparationProgress(
    [property: JsonPropertyName("phase")] PreparationPhase Phase,
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("total_steps")] long TotalSteps,
    [property: JsonPropertyName("detail")] string? Detail = null) : JobEvent;
