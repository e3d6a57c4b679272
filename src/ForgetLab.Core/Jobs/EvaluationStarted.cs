using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>The checkpoint at <paramref name="Step"/> is being scored (<c>evaluation_started</c>).</summary>
public sealed record EvaluationStarted(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("step")] long Step) : JobEvent;
