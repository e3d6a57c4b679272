using System.Collections.Immutable;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Search;

namespace ForgetLab.Grains.Runs;

/// <summary>A run's forgetting forecast from the objectives its workers reported with each evaluated checkpoint.</summary>
internal static class RunForecasts
{
    public static ForecastView? Of(RunRecipeInfo recipe, ImmutableArray<CheckpointRecord> checkpoints)
    {
        if (recipe.Steps < 1) return null;
        var points = checkpoints
            .Where(c => c.EvaluatedAt is not null && c.Scores.Any(s => s.Objective is not null))
            .Select(c => (c.Step, SearchObjectives.Point(recipe.Name, [.. c.Scores.Select(Objective).OfType<ObjectiveSuite>()]).Forgetting.Estimate))
            .ToList();
        return ForgettingForecast.Fit(points, recipe.Steps) is { } f
            ? new ForecastView(f.AtStep, f.Estimate, f.Low, f.High, f.Checkpoints, ForgettingForecast.Model)
            : null;
    }

    /// <summary>A known role, a finite delta and a finite interval whose low is not above its high.</summary>
    public static bool IsWellFormed(SuiteObjective o) =>
        o.Role is Core.Jobs.JobSuiteScore.TargetGain or Core.Jobs.JobSuiteScore.Forgetting
        && double.IsFinite(o.DeltaPoints) && double.IsFinite(o.Ci95Low) && double.IsFinite(o.Ci95High) && o.Ci95Low <= o.Ci95High;

    /// <summary>The objective a reported score enters, or null.</summary>
    public static ObjectiveSuite? Objective(SuiteScore score) => score.Objective switch
    {
        { Role: Core.Jobs.JobSuiteScore.TargetGain } o => new ObjectiveSuite(score.Suite, ObjectiveRole.TargetGain, o.DeltaPoints, o.Ci95Low, o.Ci95High),
        { Role: Core.Jobs.JobSuiteScore.Forgetting } o => new ObjectiveSuite(score.Suite, ObjectiveRole.Forgetting, o.DeltaPoints, o.Ci95Low, o.Ci95High),
        _ => null,
    };
}
