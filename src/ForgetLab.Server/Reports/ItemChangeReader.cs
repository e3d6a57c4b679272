using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Runs;
using ForgetLab.Dashboard.Data;

namespace ForgetLab.Server.Reports;

/// <summary>
/// The items one checkpoint lost and gained on one suite, each with its prompt, the base model's
/// answer and the checkpoint's: the lost/gained ids come from the run's report, the checkpoint's
/// answers and prompts from its <c>items.jsonl</c>, the base's answers from the baseline file the
/// experiment's baseline table points to. Three reads per suite, none per item. The caller has
/// already read the run as itself, so the tenant check is done.
/// </summary>
public sealed class ItemChangeReader(IGrainFactory grains, RunReportStore runReports, CheckpointStore checkpoints)
{
    /// <summary>Null when the run has no report, the step no checkpoint or the suite no result.</summary>
    public async Task<IReadOnlyList<ItemChange>?> Read(Caller caller, RunView run, long step, string suite, CancellationToken cancel)
    {
        var report = await runReports.Read(run.TenantId, run.ExperimentId, run.Recipe.Name, cancel);
        var result = report?.Checkpoints.FirstOrDefault(c => c.Step == step)?.Suites.FirstOrDefault(s => s.Suite == suite);
        if (result is null) return null;

        var record = run.Checkpoints.FirstOrDefault(c => c.Step == step);
        var items = (await checkpoints.ReadItems(checkpoints.Folder(run.TenantId, run.ExperimentId, run.Recipe.Name, step, record?.BlobLocation), cancel) ?? [])
            .Where(i => i.Suite == suite).GroupBy(i => i.Id).ToDictionary(g => g.Key, g => g.Last());
        var baseAnswers = await BaseAnswers(caller, GrainKeys.Experiment(run.TenantId, run.ExperimentId), suite, items.Values.FirstOrDefault()?.Version, cancel);

        ItemChange Change(string id, bool lost)
        {
            var item = items.GetValueOrDefault(id);
            return new ItemChange(id, lost, baseAnswers?.GetValueOrDefault(id), item?.Response, item?.Prompt);
        }

        return [.. result.Lost.Select(id => Change(id, true)), .. result.Gained.Select(id => Change(id, false))];
    }

    /// <summary>
    /// The base's answers on the suite at the checkpoint's version, from the newest recorded entry
    /// (the grain keeps one per suite definition; evaluation is deterministic, so the run's own
    /// evaluation of the base gave the same answers). Null when none is recorded or the version is unknown.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string?>?> BaseAnswers(Caller caller, string experimentKey, string suite, string? version, CancellationToken cancel)
    {
        if (version is null) return null;
        var baseline = await grains.GetGrain<IExperimentGrain>(experimentKey).GetBaseline(caller);
        if (baseline.Status != ReplyStatus.Ok) return null;
        var entry = baseline.Value!.Suites.Where(e => e.Suite == suite && e.Version == version).MaxBy(e => e.RecordedAt);
        return entry is null ? null : await checkpoints.ReadBaselineAnswers(entry.BlobLocation, cancel);
    }
}
