using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Reports;
using ForgetLab.Server.Reports;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ForgetLab.Server.Apis;

/// <summary>
/// Runs side by side: <c>?runs=exp/run,exp2/run2[,…]</c> (the caller's) or <c>tenant/exp/run</c>
/// (the caller's, or a published experiment's). For every suite all runs report, each run's delta
/// against its base and a paired comparison of each run with the first (the reference) on the items
/// both final checkpoints were scored on, only when the suite versions are the same. Item ids and
/// answers never leave the server.
/// </summary>
public static class CompareApi
{
    public const int MaxRuns = 8;

    public static IEndpointRouteBuilder MapCompareApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup($"{ApiConventions.Prefix}/compare").WithTags("Compare").RequireAuthorization(CallerClaims.TenantPolicy)
            .MapGet("/", Compare).RequireRateLimiting(RequestLimits.ExpensivePolicy)
            .WithDescription("?runs=experiment/run,experiment/run[,…] or tenant/experiment/run for a published experiment; the first run is the reference.");
        return app;
    }

    private sealed record Resolved(string Ref, string TenantId, string ExperimentId, string RunId, RunReport Report, CheckpointReport? Final, IReadOnlyList<ItemResult>? Items);

    public static async Task<Results<Ok<ComparisonView>, ProblemHttpResult>> Compare(
        string? runs, [AsParameters] ApiServices services, RunReportStore reports, CheckpointStore checkpoints, CancellationToken cancel)
    {
        var refs = (runs ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (refs.Length < 2) return ReplyResults.Invalid("runs", "name at least two runs: ?runs=experiment/run,experiment/run");
        if (refs.Length > MaxRuns) return ReplyResults.Invalid("runs", $"at most {MaxRuns} runs, got {refs.Length}");
        if (refs.Distinct().Count() != refs.Length) return ReplyResults.Invalid("runs", "a run is named twice");

        var resolved = new List<Resolved>();
        foreach (var (reference, index) in refs.Select((r, i) => (r, i)))
        {
            var parts = reference.Split('/');
            if (parts.Length is not (2 or 3) || parts.Any(p => p.Length == 0))
                return ReplyResults.Invalid($"runs[{index}]", $"'{reference}' is not experiment/run or tenant/experiment/run");
            var (tenant, experimentId, runId) = parts.Length == 2 ? (services.Caller.TenantId, parts[0], parts[1]) : (parts[0], parts[1], parts[2]);

            var experiment = await Experiment(services, tenant, experimentId);
            if (experiment is null || !experiment.RunIds.Contains(runId)) return ReplyResults.NotFound($"runs[{index}]: run '{experimentId}/{runId}'");
            var report = await reports.Read(tenant, experimentId, runId, cancel);
            if (report is null) return ReplyResults.Problem(StatusCodes.Status409Conflict, "Conflict", $"run '{reference}' has not ended: it has no report to compare yet");

            var final = FinalCheckpoint(report);
            var items = final is null ? null : await checkpoints.ReadItems(checkpoints.Folder(tenant, experimentId, runId, final.Step), cancel);
            resolved.Add(new Resolved(reference, tenant, experimentId, runId, report, final, items));
        }

        var reference0 = resolved[0];
        var common = reference0.Report.Suites.Select(s => s.Suite)
            .Where(suite => resolved.All(r => r.Report.Suites.Any(s => s.Suite == suite)))
            .ToList();
        var suites = common.Select(suite =>
        {
            var results = resolved.Select(r => (Run: r, Result: r.Report.Suites.First(s => s.Suite == suite))).ToList();
            var side = results.Select(x => new ComparedRun(x.Run.Ref, x.Result.Version, x.Result.Base, x.Result.Score, x.Result.DeltaPoints, x.Result.Severity)).ToImmutableArray();
            var paired = results.Skip(1).Select(x => Paired(reference0, results[0].Result, x.Run, x.Result)).ToImmutableArray();
            var first = results[0].Result;
            return new ComparedSuite(suite, first.Category, first.Kind, first.Metric, side, paired);
        }).ToImmutableArray();

        return TypedResults.Ok(new ComparisonView(
            reference0.Ref,
            [.. resolved.Select(r => new ComparedRunSummary(r.Ref, r.Report.Method, r.Report.Status, r.Final?.Step, r.Report.Severity, r.Report.TargetGainPoints, r.Report.ForgettingPoints))],
            suites,
            [.. reference0.Report.Suites.Select(s => s.Suite).Concat(resolved.Skip(1).SelectMany(r => r.Report.Suites.Select(s => s.Suite))).Distinct().Except(common)]));
    }

    /// <summary>The caller's experiment, or a published one of another tenant; null otherwise (a 404, whatever the reason).</summary>
    private static async Task<ExperimentView?> Experiment(ApiServices services, string tenant, string experimentId)
    {
        if (experimentId.Contains('/')) return null;
        if (tenant == services.Caller.TenantId)
        {
            var own = await services.Grains.GetGrain<IExperimentGrain>($"{tenant}/{experimentId}").Get(services.Caller);
            return own.Status == ReplyStatus.Ok ? own.Value : null;
        }

        return await BoardApi.PublishedExperiment(services.Grains, tenant, experimentId);
    }

    /// <summary>The checkpoint whose suites are the run's final ones (early stopping may keep an earlier one), else the last.</summary>
    private static CheckpointReport? FinalCheckpoint(RunReport report) =>
        report.Checkpoints.LastOrDefault(c => c.Suites.Count == report.Suites.Count
            && c.Suites.Zip(report.Suites).All(p => p.First.Suite == p.Second.Suite && p.First.Score == p.Second.Score))
        ?? report.Checkpoints.LastOrDefault();

    private static PairedComparison Paired(Resolved reference, SuiteResult referenceResult, Resolved run, SuiteResult result)
    {
        if (referenceResult.Version != result.Version)
            return PairedComparison.Not(run.Ref, $"suite versions differ ('{referenceResult.Version}' and '{result.Version}'): not the same items");
        if (reference.Items is null || run.Items is null)
            return PairedComparison.Not(run.Ref, $"no per-item outcomes for the final checkpoint of '{(reference.Items is null ? reference.Ref : run.Ref)}'");

        var a = Outcomes(referenceResult, reference.Items);
        var b = Outcomes(result, run.Items);
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

    private static SuiteOutcomes Outcomes(SuiteResult result, IReadOnlyList<ItemResult> items)
    {
        var lines = items.Where(i => i.Suite == result.Suite && i.Version == result.Version)
            .GroupBy(i => i.Id).Select(g => g.Last()).ToList();
        var higherIsBetter = result.IsHigherBetter();
        return new SuiteOutcomes(result.Suite, result.Version, result.Category, result.Kind, result.Metric, higherIsBetter, null,
            [.. lines.Select(l => l.Id)], [.. lines.Select(l => l.Value)]);
    }
}
