using System.Text.Json.Serialization;
using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Reports;

/// <summary>
/// Runs that differ only in their seed, summarised across seeds: per suite the mean delta and a 95%
/// Student-t interval over the seeds' deltas (null with fewer than two seeds), so a recipe's effect
/// is told apart from seed noise.
/// </summary>
/// <param name="Recipe">The runs' name without its <c>-seed{n}</c> part.</param>
public sealed record SeedGroup(
    string Recipe,
    IReadOnlyList<string> Runs,
    double TargetGainMean,
    [property: JsonPropertyName("target_gain_ci95")] IReadOnlyList<double>? TargetGainCi95,
    double ForgettingMean,
    [property: JsonPropertyName("forgetting_ci95")] IReadOnlyList<double>? ForgettingCi95,
    IReadOnlyList<SeedSuiteSummary> Suites);

/// <summary>One suite across a recipe's seeds: mean Δ (points for accuracy suites), its 95% t-interval, and how many seeds.</summary>
public sealed record SeedSuiteSummary(
    string Suite,
    SuiteCategory Category,
    double DeltaMean,
    [property: JsonPropertyName("ci95")] IReadOnlyList<double>? Ci95,
    int Seeds);
