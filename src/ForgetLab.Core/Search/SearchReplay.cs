using ForgetLab.Core.Analysis;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Search;

/// <summary>
/// What a search would have done on a grid that ran to the end: at each rung, the runs the search stops given their recorded
/// checkpoints there, the run-steps and device time that saves, and whether the Pareto front of the runs left equals the full grid's. Exact,
/// not a model, because the runs of a grid train independently: stopping one changes nothing in the others. Also checks the
/// forgetting forecast of every run with at least four checkpoints: fitted on all but its last, against its last.
/// </summary>
public static class SearchReplay
{
    /// <param name="itemsAt">
    /// The per-item rows (<c>items.jsonl</c>) of a run's checkpoint at a step, or null where they were not kept; with them the
    /// runs are compared by the paired run-vs-run test, as the live search compares them, and without by the intervals. Each
    /// stop's <see cref="Domination.OnItems"/> says which.
    /// </param>
    public static SearchReplayResult Replay(ForgettingReport report, IReadOnlyList<long> rungs, int keep, Func<string, long, IReadOnlyList<ItemResult>?>? itemsAt = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(rungs);
        var runs = report.Runs.Where(r => r.Checkpoints.Count > 0).ToList();
        var stopped = new List<Domination>();
        var stoppedAt = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var rung in rungs.Order())
        {
            // Live at the rung: not stopped before, and with a checkpoint there (a run that ended before it is not live).
            var live = runs.Where(r => !stoppedAt.ContainsKey(r.Name) && r.Checkpoints.Any(c => c.Step == rung) && FinalStep(r) > rung).ToList();
            if (live.Count <= keep) continue;
            var points = live.Select(r => SearchObjectives.PointAt(r.Name, r.Checkpoints.First(c => c.Step == rung), itemsAt?.Invoke(r.Name, rung))).ToList();
            foreach (var d in HalvingSearch.Dominated(rung, points, keep))
            {
                stopped.Add(d);
                stoppedAt[d.Run] = rung;
            }
        }

        var fullSteps = runs.Sum(FinalStep);
        var searchedSteps = runs.Sum(r => stoppedAt.TryGetValue(r.Name, out var at) ? at : FinalStep(r));
        // Device time as the runs measured it: each checkpoint's training since the one before and its scoring.
        var timed = runs.All(r => r.Checkpoints.All(c => c.TrainingSeconds is not null && c.EvaluationSeconds is not null));
        double Seconds(RunReport r, long upTo) => r.Checkpoints.Where(c => c.Step <= upTo).Sum(c => c.TrainingSeconds!.Value + c.EvaluationSeconds!.Value);
        double? fullSeconds = timed ? runs.Sum(r => Seconds(r, FinalStep(r))) : null;
        double? searchedSeconds = timed ? runs.Sum(r => Seconds(r, stoppedAt.TryGetValue(r.Name, out var at) ? at : FinalStep(r))) : null;
        var fullFront = ParetoFront.Compute([.. runs.Select(r => (r.Name, r.TargetGainPoints, r.ForgettingPoints))]);
        var searchedFront = ParetoFront.Compute([.. runs.Where(r => !stoppedAt.ContainsKey(r.Name)).Select(r => (r.Name, r.TargetGainPoints, r.ForgettingPoints))]);
        var forecasts = runs.Select(r => ForecastAccuracy.Check(r, Math.Max(ForgettingForecast.MinCheckpoints, r.Checkpoints.Count(c => c.Step > 0) - 1)));
        return new SearchReplayResult(stopped, fullSteps, searchedSteps, fullFront, searchedFront, [.. forecasts.OfType<ForecastCheck>()])
        {
            FullDeviceSeconds = fullSeconds,
            SearchedDeviceSeconds = searchedSeconds,
        };
    }

    private static long FinalStep(RunReport run) => run.Checkpoints[^1].Step;
}
