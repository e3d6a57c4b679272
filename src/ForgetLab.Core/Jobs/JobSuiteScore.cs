using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>A suite's score at a checkpoint, as a job event carries it (percent for binary suites).</summary>
public sealed record JobSuiteScore(
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("delta_points")] double DeltaPoints);
