using System.Collections.Immutable;
using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Reports;

/// <summary>
/// The cross-tenant board's rules: experiments are comparable only on the same base model (by its
/// hash) and the same suite set, so they are grouped by both; within a group the runs that were
/// evaluated are ranked, the group's Pareto frontier first (target gain up, forgetting down), then
/// by forgetting minus target gain, then by "tenant/experiment/run". Groups with more runs come first.
/// </summary>
public static class BoardRanking
{
    public static BoardView Rank(IReadOnlyList<BoardEntry> entries)
    {
        var groups = entries
            .GroupBy(e => (Hash: e.Report.Base.ModelHash, Suites: string.Join(",", e.Suites.Order(StringComparer.Ordinal))))
            .Select(g => Group(g.Key.Hash, g.First().Report.Base.Model, [.. g.Key.Suites.Split(',')], [.. g]))
            .OrderByDescending(g => g.Runs.Length)
            .ThenBy(g => g.BaseModelHash, StringComparer.Ordinal)
            .ToImmutableArray();
        return new BoardView(groups);
    }

    private static BoardGroup Group(string hash, string model, ImmutableArray<string> suites, ImmutableArray<BoardEntry> experiments)
    {
        var runs = experiments
            .SelectMany(e => e.Report.Runs.Where(r => r.Checkpoints.Count > 0).Select(r => (Experiment: e, Run: r)))
            .ToList();
        var frontier = runs.Count == 0
            ? []
            : ParetoFront.Compute([.. runs.Select(r => (Key(r.Experiment, r.Run.Name), r.Run.TargetGainPoints, r.Run.ForgettingPoints))]);
        var ranked = runs
            .OrderByDescending(r => frontier.Contains(Key(r.Experiment, r.Run.Name)))
            .ThenBy(r => r.Run.ForgettingPoints - r.Run.TargetGainPoints)
            .ThenBy(r => Key(r.Experiment, r.Run.Name), StringComparer.Ordinal)
            .Select((r, i) => new BoardRun(
                i + 1, r.Experiment.TenantId, r.Experiment.ExperimentId, r.Run.Name, r.Run.Method, r.Run.Status,
                r.Run.Severity, r.Run.TargetGainPoints, r.Run.ForgettingPoints, frontier.Contains(Key(r.Experiment, r.Run.Name))))
            .ToImmutableArray();
        return new BoardGroup(
            hash, model, suites,
            [.. experiments.Select(e => new BoardExperiment(e.TenantId, e.ExperimentId, e.Description, e.Report.Base.ModelHash, suites, e.Report.Runs.Count))],
            ranked);
    }

    private static string Key(BoardEntry experiment, string run) => $"{experiment.TenantId}/{experiment.ExperimentId}/{run}";
}
