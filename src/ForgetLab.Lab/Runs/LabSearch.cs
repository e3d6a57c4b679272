using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Search;
using ForgetLab.Core.Specs;

namespace ForgetLab.Lab.Runs;

/// <summary>
/// <c>search: { kind: halving }</c> in the stand-alone lab, by the platform's rule: Core's <see cref="HalvingSearch"/> on the
/// runs' <see cref="SearchObjectives"/> points at each rung, with their checkpoints' per-item outcomes, once every live run has scored its checkpoint there. The lab
/// trains one run at a time, so it goes rung by rung: every live run trains to the rung and pauses after scoring that
/// checkpoint; the dominated runs end <see cref="RunStatus.StoppedEarly"/> with the reason "dominated at step N by …", and
/// the others resume from their rung checkpoint exactly (weights, optimizer, sampler and losses), so a run the search keeps
/// ends with the same checkpoints and scores as without the search. A run that ends before a rung (diverged, failed,
/// stopped by early stopping) is not live there, as on the platform.
/// </summary>
internal static class LabSearch
{
    public static List<RunReport> Run(PreparedLab lab, IReadOnlyList<RunRecipe> recipes, SearchSpec search, IProgress<JobEvent>? progress)
    {
        var reports = new RunReport?[recipes.Count];
        var resumeFrom = new string?[recipes.Count];
        var live = Enumerable.Range(0, recipes.Count).ToList();
        foreach (var rung in search.Rungs)
        {
            var paused = new List<int>();
            foreach (var i in live)
            {
                var (report, pausedAt) = lab.RunRecipe(recipes[i], resumeFrom[i], evaluateResumed: false, pauseAt: rung);
                reports[i] = Joined(reports[i], report);
                resumeFrom[i] = pausedAt;
                if (pausedAt is not null) paused.Add(i);
            }

            live = paused;
            if (live.Count <= search.Keep) continue;
            var points = live.Select(i => PointAt(recipes[i].Name, reports[i]!.Checkpoints.Single(c => c.Step == rung), resumeFrom[i]!)).ToList();
            var stopped = HalvingSearch.Dominated(rung, points, search.Keep).ToDictionary(d => d.Run, StringComparer.Ordinal);
            foreach (var i in live.Where(i => stopped.ContainsKey(recipes[i].Name)))
            {
                var reason = stopped[recipes[i].Name].Reason;
                reports[i] = reports[i]! with { Status = RunStatus.StoppedEarly, Reason = reason };
                progress?.Report(new RunFinished(recipes[i].Name, RunStatus.StoppedEarly, rung, reason, Path.GetDirectoryName(resumeFrom[i])!));
            }
            live = [.. live.Where(i => !stopped.ContainsKey(recipes[i].Name))];
        }

        foreach (var i in live) reports[i] = Joined(reports[i], lab.RunRecipe(recipes[i], resumeFrom[i], evaluateResumed: false, pauseAt: null).Report);
        return [.. reports.Select(r => r!)];
    }

    /// <summary>
    /// A run's point at its rung checkpoint, with the per-item outcomes the lab wrote beside it (<c>items.jsonl</c>), so the
    /// runs are compared by the paired run-vs-run test, as on the platform.
    /// </summary>
    internal static RungPoint PointAt(string run, CheckpointReport checkpoint, string folder) =>
        SearchObjectives.PointAt(run, checkpoint, File.Exists(Path.Combine(folder, ItemResultsFile.FileName)) ? ItemResultsFile.Read(folder) : null);

    /// <summary>
    /// A resumed part after the parts before it: their checkpoints first, then its own, and its status and summary (its last
    /// checkpoint's). A part that scored no checkpoint (it failed or diverged before one) keeps the earlier summary with its end.
    /// </summary>
    private static RunReport Joined(RunReport? before, RunReport part)
    {
        if (before is null) return part;
        if (part.Checkpoints.Count == 0) return before with { Status = part.Status, Reason = part.Reason };
        var first = part.Checkpoints[0].Step;
        var joined = part with { Checkpoints = [.. before.Checkpoints.Where(c => c.Step < first), .. part.Checkpoints] };
        // Early stopping's watch starts afresh in a resumed part, so a part whose first checkpoint crossed the threshold kept
        // none of its own; the run's kept checkpoint is then the rung it paused at (within the threshold, or it would have
        // stopped there), whose summary the part before carries.
        if (part is { Status: RunStatus.StoppedEarly, Suites.Count: 0, Reason: { } reason } && reason.EndsWith(NoneKept, StringComparison.Ordinal))
            return joined with
            {
                Severity = before.Severity,
                TargetGainPoints = before.TargetGainPoints,
                ForgettingPoints = before.ForgettingPoints,
                Suites = before.Suites,
                AtChanceShare = before.AtChanceShare,
                Reason = string.Concat(reason.AsSpan(0, reason.Length - NoneKept.Length), $"kept step {before.Checkpoints[^1].Step}"),
            };
        return joined;
    }

    /// <summary>The end of an early-stopping reason when no checkpoint of the part stayed within the threshold (<c>PreparedLab.Conclude</c>).</summary>
    internal const string NoneKept = "no checkpoint stayed under it";
}
