using System.Text.Json.Serialization;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Search;

namespace ForgetLab.Core.Jobs;

/// <summary>
/// A suite's score at a checkpoint, as a job event carries it (percent for binary suites). A suite that enters target gain or
/// forgetting also carries that objective (<c>target_gain</c> or <c>forgetting</c>) and its delta's 95% interval, so the
/// platform's search (<see cref="HalvingSearch"/>) can compare runs without reading their items; both are null otherwise and in
/// events written before they were carried.
/// </summary>
public sealed record JobSuiteScore(
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("delta_points")] double DeltaPoints,
    [property: JsonPropertyName("objective")] string? Objective = null,
    [property: JsonPropertyName("ci95")] IReadOnlyList<double>? Ci95 = null)
{
    public const string TargetGain = "target_gain";

    public const string Forgetting = "forgetting";

    /// <summary>The event's score of a checkpoint report's suite, with its objective and interval where it enters one.</summary>
    public static JobSuiteScore Of(SuiteResult suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return SearchObjectives.RoleOf(suite) switch
        {
            ObjectiveRole.TargetGain => new(suite.Suite, suite.Score, suite.DeltaPoints, TargetGain, [suite.Ci95[0], suite.Ci95[1]]),
            ObjectiveRole.Forgetting => new(suite.Suite, suite.Score, suite.DeltaPoints, Forgetting, [suite.Ci95[0], suite.Ci95[1]]),
            _ => new(suite.Suite, suite.Score, suite.DeltaPoints),
        };
    }

    /// <summary>The objective this score enters, or null when it enters none or was written without one (or malformed).</summary>
    public ObjectiveSuite? ToObjective() => (Objective, Ci95) switch
    {
        (TargetGain, [var low, var high]) => new ObjectiveSuite(Suite, ObjectiveRole.TargetGain, DeltaPoints, low, high),
        (Forgetting, [var low, var high]) => new ObjectiveSuite(Suite, ObjectiveRole.Forgetting, DeltaPoints, low, high),
        _ => null,
    };
}
