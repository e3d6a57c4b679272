using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Core.Reports;
using ForgetLab.Grains.Common;
using ForgetLab.Server.Reports;

namespace ForgetLab.Server.Application;

/// <summary>
/// Runs side by side, named <c>experiment/run</c> (the caller's) or <c>tenant/experiment/run</c>
/// (the caller's, or a published experiment's): finds each run's report and its final checkpoint's
/// per-item outcomes, and leaves the comparison to <see cref="RunComparison"/>. Item ids and answers
/// never leave the server.
/// </summary>
public sealed class RunComparisons(Experiments experiments, SharedBoard board, RunReportStore reports, CheckpointStore checkpoints)
{
    public const int MaxRuns = 8;

    /// <summary>Compares the runs of a comma-separated list (as <c>?runs=</c> names them); the first is the reference.</summary>
    public async Task<Reply<ComparisonView>> Compare(Caller caller, string? runs, CancellationToken cancel)
    {
        var refs = (runs ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (refs.Length < 2) return Replies.Invalid<ComparisonView>("runs", "name at least two runs: ?runs=experiment/run,experiment/run");
        if (refs.Length > MaxRuns) return Replies.Invalid<ComparisonView>("runs", $"at most {MaxRuns} runs, got {refs.Length}");
        if (refs.Distinct().Count() != refs.Length) return Replies.Invalid<ComparisonView>("runs", "a run is named twice");

        var inputs = new List<ComparisonInput>();
        foreach (var (reference, index) in refs.Select((r, i) => (r, i)))
        {
            var parts = reference.Split('/');
            if (parts.Length is not (2 or 3) || parts.Any(p => p.Length == 0))
                return Replies.Invalid<ComparisonView>($"runs[{index}]", $"'{reference}' is not experiment/run or tenant/experiment/run");
            var (tenant, experimentId, runId) = parts.Length == 2 ? (caller.TenantId, parts[0], parts[1]) : (parts[0], parts[1], parts[2]);

            var experiment = await Experiment(caller, tenant, experimentId);
            if (experiment is null || !experiment.RunIds.Contains(runId)) return Replies.NotFound<ComparisonView>($"runs[{index}]: run '{experimentId}/{runId}'");
            var report = await reports.Read(tenant, experimentId, runId, cancel);
            if (report is null) return Replies.Conflict<ComparisonView>($"run '{reference}' has not ended: it has no report to compare yet");

            var final = RunComparison.FinalCheckpoint(report);
            var items = final is null ? null : await checkpoints.ReadItems(checkpoints.Folder(tenant, experimentId, runId, final.Step), cancel);
            inputs.Add(new ComparisonInput(reference, report, items?.Select(i => new ItemScore(i.Suite, i.Version, i.Id, i.Value)).ToList()));
        }

        return Replies.Ok(RunComparison.Compare(inputs));
    }

    /// <summary>The caller's experiment, or a published one of another tenant; null otherwise (a 404, whatever the reason).</summary>
    private async Task<ExperimentView?> Experiment(Caller caller, string tenant, string experimentId)
    {
        if (tenant != caller.TenantId) return await board.PublishedExperiment(tenant, experimentId);
        var own = await experiments.Get(caller, experimentId);
        return own.Status == ReplyStatus.Ok ? own.Value : null;
    }
}
