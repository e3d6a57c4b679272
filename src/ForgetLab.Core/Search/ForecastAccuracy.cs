using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Search;

/// <summary>
/// How the forgetting forecast did on runs that were allowed to finish: each completed run with more than
/// <c>from</c> checkpoints after step 0 is fitted on its first <c>from</c> of them — the forecast the run page showed once
/// that many were scored — and compared with the forgetting its last checkpoint measured. A run that ended any other way
/// (stopped early, diverged, failed) never reached the step the forecast is for, so it is left out. A forecast by distance
/// (<see cref="ForecastInput"/>) checks only the runs whose fitted checkpoints all measured that distance.
/// </summary>
public static class ForecastAccuracy
{
    public static IReadOnlyList<ForecastCheck> Check(ForgettingReport report, int from, ForecastInput input = ForecastInput.Step)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(from, ForgettingForecast.MinCheckpoints);
        return [.. report.Runs.Where(r => r.Status == RunStatus.Completed).Select(r => Check(r, from, input)).OfType<ForecastCheck>()];
    }

    /// <summary>
    /// The run's forecast from its first <paramref name="from"/> checkpoints after step 0 against its last, or null without
    /// more than that many (or, by distance, when one of them did not measure it).
    /// </summary>
    public static ForecastCheck? Check(RunReport run, int from, ForecastInput input = ForecastInput.Step)
    {
        ArgumentNullException.ThrowIfNull(run);
        var checkpoints = run.Checkpoints.Where(c => c.Step > 0).ToList();
        if (checkpoints.Count <= from) return null;
        var first = checkpoints.Take(from).ToList();
        var actual = ForgettingAt(run, checkpoints[^1]);
        if (input == ForecastInput.Step)
            return ForgettingForecast.Fit([.. first.Select(c => (c.Step, ForgettingAt(run, c)))], checkpoints[^1].Step) is { } f ? new ForecastCheck(run.Name, f, actual) : null;
        if (first.Any(c => DistanceAt(c, input) is null)) return null;
        var fitted = first.Select(c => (c.Step, ForgettingAt(run, c), DistanceAt(c, input)!.Value)).ToList();
        return ForgettingForecast.FitByDistance(fitted, checkpoints[^1].Step, input) is { } d ? new ForecastCheck(run.Name, d, actual) : null;
    }

    /// <summary>The checkpoint's distance from the base: its mean layer-group drift, or its <c>kl_to_base</c> score; null when not measured.</summary>
    public static double? DistanceAt(CheckpointReport checkpoint, ForecastInput input)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return input switch
        {
            ForecastInput.Drift => checkpoint.Drift is { Count: > 0 } drift ? drift.Values.Average() : null,
            ForecastInput.KlToBase => checkpoint.Suites.FirstOrDefault(s => s.Suite == KlSuite)?.Score,
            _ => null,
        };
    }

    /// <summary>The suite whose score is the mean token KL to the base.</summary>
    public const string KlSuite = "kl_to_base";

    /// <summary>Coverage and errors over the checks (NaN errors when there are none).</summary>
    public static ForecastSummary Summarise(IReadOnlyList<ForecastCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        if (checks.Count == 0) return new ForecastSummary(0, 0, double.NaN, double.NaN, double.NaN);
        var widths = checks.Select(c => c.Forecast.High - c.Forecast.Low).Order().ToList();
        var median = widths.Count % 2 == 1 ? widths[widths.Count / 2] : (widths[widths.Count / 2 - 1] + widths[widths.Count / 2]) / 2;
        return new ForecastSummary(checks.Count, checks.Count(c => c.Inside), checks.Average(c => Math.Abs(c.Error)), checks.Average(c => c.Error), median);
    }

    /// <summary>The checkpoint's forgetting as the search and the run page compute it (<see cref="SearchObjectives.Point"/>).</summary>
    internal static double ForgettingAt(RunReport run, CheckpointReport checkpoint) =>
        SearchObjectives.Point(run.Name, SearchObjectives.SuitesOf(checkpoint.Suites)).Forgetting.Estimate;
}
