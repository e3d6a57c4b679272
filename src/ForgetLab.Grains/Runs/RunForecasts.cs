using System.Collections.Immutable;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Search;

namespace ForgetLab.Grains.Runs;

/// <summary>
/// A run's forgetting forecast from the objectives its workers reported with each evaluated checkpoint: through its KL to the
/// base when every such checkpoint scored the <c>kl_to_base</c> suite (<see cref="ForgettingForecast.FitByDistance"/>),
/// otherwise from the steps alone. Parameter drift is not reported to the platform, so the run page never fits on it.
/// </summary>
internal static class RunForecasts
{
    public static ForecastView? Of(RunRecipeInfo recipe, ImmutableArray<CheckpointRecord> checkpoints)
    {
        if (recipe.Steps < 1) return null;
        var scored = checkpoints.Where(c => c.EvaluatedAt is not null && c.Scores.Any(s => s.Objective is not null)).ToList();
        var points = scored
            .Select(c => (c.Step, Forgetting: SearchObjectives.Point(recipe.Name, [.. c.Scores.Select(Objective).OfType<ObjectiveSuite>()]).Forgetting.Estimate,
                Kl: c.Scores.FirstOrDefault(s => s.Suite == ForecastAccuracy.KlSuite)?.Score))
            .ToList();
        var forecast = points.All(p => p.Kl is > 0)
            ? ForgettingForecast.FitByDistance([.. points.Select(p => (p.Step, p.Forgetting, p.Kl!.Value))], recipe.Steps, ForecastInput.KlToBase)
            : null;
        forecast ??= ForgettingForecast.Fit([.. points.Select(p => (p.Step, p.Forgetting))], recipe.Steps);
        return forecast is { } f
            ? new ForecastView(f.AtStep, f.Estimate, f.Low, f.High, f.Checkpoints, ForgettingForecast.ModelOf(f.Input))
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
