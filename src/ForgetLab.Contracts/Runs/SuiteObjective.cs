namespace ForgetLab.Contracts.Runs;

/// <summary>
/// A suite's part in the search's objectives at a checkpoint: <see cref="Role"/> is "target_gain" or "forgetting"
/// (<see cref="Core.Jobs.JobSuiteScore"/>'s names), with the paired delta against the base and its 95% interval, in points.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.SuiteObjective")]
public sealed record SuiteObjective(
    [property: Id(0)] string Role,
    [property: Id(1)] double DeltaPoints,
    [property: Id(2)] double Ci95Low,
    [property: Id(3)] double Ci95High);
