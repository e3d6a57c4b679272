using System.Collections.Immutable;
using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Reports;

/// <summary>
/// Runs side by side: for every suite all runs report, each run's delta against its own base, and
/// each run after the first paired with the first (the reference) on the items both final
/// checkpoints were scored on, only when the suite versions are the same (never unpaired). The
/// metric's direction is the one the report records (<see cref="SuiteResult.IsHigherBetter"/>).
/// </summary>
public static class RunComparison
{
    /// <summary>The checkpoint whose suites are the run's final ones (early stopping may keep an earlier one), else the last.</summary>
    public static CheckpointReport? FinalCheckpoint(RunReport report) =>
        report.Checkpoints.LastOrDefault(c => c.Suites.Count == report.Suites.Count
            && c.Suites.Zip(report.Suites).All(p => p.First.Suite == p.Second.Suite && p.First.Score == p.Second.Score))
        ?? report.Checkpoints.LastOrDefault();

    /// <summary>Compares at least one run with the first of <paramref name="runs"/>; suites some runs lack are listed apart.</summary>
    public static ComparisonView Compare(IReadOnlyList<ComparisonInput> runs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs.Count, 1, nameof(runs));
        var reference = runs[0];
        var common = reference.Report.Suites.Select(s => s.Suite)
            .Where(suite => runs.All(r => r.Report.Suites.Any(s => s.Suite == suite)))
            .ToList();
        var suites = common.Select(suite =>
        {
            var results = runs.Select(r => (Run: r, Result: r.Report.Suites.First(s => s.Suite == suite))).ToList();
            var side = results.Select(x => new ComparedRun(x.Run.Ref, x.Result.Version, x.Result.Base, x.Result.Score, x.Result.DeltaPoints, x.Result.Severity, x.Result.NotKnownByBase)).ToImmutableArray();
            var paired = results.Skip(1).Select(x => Paired(reference, results[0].Result, x.Run, x.Result)).ToImmutableArray();
            var first = results[0].Result;
            return new ComparedSuite(suite, first.Category, first.Kind, first.Metric, side, paired);
        }).ToImmutableArray();

        return new ComparisonView(
            reference.Ref,
            [.. runs.Select(r => new ComparedRunSummary(r.Ref, r.Report.Method, r.Report.Status, FinalCheckpoint(r.Report)?.Step, r.Report.Severity, r.Report.TargetGainPoints, r.Report.ForgettingPoints))],
            suites,
            [.. reference.Report.Suites.Select(s => s.Suite).Concat(runs.Skip(1).SelectMany(r => r.Report.Suites.Select(s => s.Suite))).Distinct().Except(common)]);
    }

    private static PairedComparison Paired(ComparisonInput reference, SuiteResult referenceResult, ComparisonInput run, SuiteResult result)
    {
        if (referenceResult.Version != result.Version)
            return PairedComparison.Not(run.Ref, $"suite versions differ ('{referenceResult.Version}' and '{result.Version}'): not the same items");
        if (reference.FinalItems is null || run.FinalItems is null)
            return PairedComparison.Not(run.Ref, $"no per-item outcomes for the final checkpoint of '{(reference.FinalItems is null ? reference.Ref : run.Ref)}'");

        var a = Outcomes(referenceResult, reference.FinalItems);
        var b = Outcomes(result, run.FinalItems);
        if (a.ItemIds.Count == 0 || b.ItemIds.Count == 0 || !a.ItemIds.Intersect(b.ItemIds).Any())
            return PairedComparison.Not(run.Ref, "no item was scored by both runs");
        try
        {
            var c = ForgettingAnalysis.Compare(a, b, seed: 0);
            return new PairedComparison(run.Ref, true, null, c.N, c.Unpaired, c.Base, c.Score, c.DeltaPoints, [c.Ci95.Low, c.Ci95.High], c.PValue, c.Lost.Count, c.Gained.Count);
        }
        catch (ArgumentException e)
        {
            return PairedComparison.Not(run.Ref, e.Message);
        }
    }

    /// <summary>The suite's items at its version, the last line of an id winning (a re-evaluated item replaces the earlier line).</summary>
    private static SuiteOutcomes Outcomes(SuiteResult result, IReadOnlyList<ItemScore> items)
    {
        var lines = items.Where(i => i.Suite == result.Suite && i.Version == result.Version)
            .GroupBy(i => i.Id).Select(g => g.Last()).ToList();
        return new SuiteOutcomes(result.Suite, result.Version, result.Category, result.Kind, result.Metric, result.IsHigherBetter(), null,
            [.. lines.Select(l => l.Id)], [.. lines.Select(l => l.Value)]);
    }
}
