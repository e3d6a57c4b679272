using System.Globalization;
using ForgetLab.Contracts.Baselines;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Models;
using ForgetLab.Contracts.Pool;
using ForgetLab.Core.Baselines;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Models;
using Microsoft.Extensions.Logging;

namespace ForgetLab.Worker;

/// <summary>
/// The worker's side of the job's baseline exchange. On <c>baseline_lookup</c> it downloads the
/// base model's baselines the platform has recorded (the <see cref="IBaselineGrain"/> of the base:
/// shared for a base of the built-in world, the tenant's own otherwise) for the job to reuse, and
/// notes the baseline with the experiment (and stores the experiment's base once, so the tenant can
/// register it as a model, and notes what the base is: architecture, parameters, dtype, tokenizer). On <c>baseline_ready</c> for a suite the job evaluated
/// itself, it uploads the outcomes to Blob storage and records them; when another run recorded the
/// suite first, that one stays and this is logged.
/// </summary>
public sealed class BaselineShare(LeaseGrant grant, IGrainFactory grains, CheckpointStore store, ILogger logger)
{
    /// <summary>The folder of recorded baseline files for the job, or null when the platform has none of its suites.</summary>
    public async Task<string?> Lookup(BaselineLookup lookup, string jobDirectory, CancellationToken cancel)
    {
        var key = Key(lookup.Shared, lookup.ModelHash);
        var experimentKey = GrainKeys.ExperimentOf(grant.RunKey);
        await grains.GetGrain<IExperimentGrain>(experimentKey).NoteBaseline(key);
        await store.UploadBaseOnce(experimentKey, lookup.Folder, cancel);
        await NoteBaseModel(experimentKey, lookup.Folder);
        var recorded = await grains.GetGrain<IBaselineGrain>(key).Entries();
        var folder = Path.Combine(jobDirectory, "baselines");
        Directory.CreateDirectory(folder);
        var found = 0;
        var wanted = lookup.Suites;
        foreach (var suite in wanted)
        {
            // The definition carries the scoring build: an entry another build scored is not this one's, and is scored again.
            if (recorded.FirstOrDefault(e => e.Suite == suite.Suite && e.Version == suite.Version && e.Definition == suite.Definition) is not { } entry) continue;
            var blob = entry.BlobLocation[(store.Container.Name.Length + 1)..];
            await store.Container.GetBlobClient(blob).DownloadToAsync(Path.Combine(folder, suite.FileName), cancel);
            found++;
        }
        logger.LogInformation("Lease {Lease}: baseline of model {Model}: {Found} of {Wanted} suites reused from the platform",
            grant.LeaseId, key, found, wanted.Count);
        return found == 0 ? null : folder;
    }

    public async Task Ready(BaselineReady ready, CancellationToken cancel)
    {
        var (suite, file, source) = (ready.Suite, ready.File, ready.Source);
        var key = Key(ready.Shared, ready.ModelHash);
        if (source == BaselineSource.Platform)
        {
            logger.LogInformation("Lease {Lease}: baseline reused for {Suite}@{Version} of model {Model}", grant.LeaseId, suite.Suite, suite.Version, key);
            return;
        }

        var evaluation = BaselineFiles.Read(file) ?? throw new FileNotFoundException($"the job named baseline file {file}, which is not there", file);
        // Under the lease's own name: a run that loses the race to record never overwrites the winner's outcomes.
        var scope = ready.Shared ? GrainKeys.SharedScope : grant.TenantId;
        var blob = $"{scope}/baselines/{ready.ModelHash}/{suite.FileName[..^".json".Length]}/{grant.LeaseId.Replace('/', '_')}.json";
        await store.UploadFile(blob, file, cancel);
        var outcomes = evaluation.Outcomes;
        var entry = new BaselineEntry(suite.Suite, suite.Version, suite.Definition, outcomes.Category.ToString().ToLowerInvariant(), outcomes.Metric,
            BaselineFiles.Score(outcomes), outcomes.Values.Count, $"{store.Container.Name}/{blob}", DateTimeOffset.UtcNow);
        var recording = await grains.GetGrain<IBaselineGrain>(key).Record(entry);
        if (recording.Accepted)
            logger.LogInformation("Lease {Lease}: baseline recorded for {Suite}@{Version} of model {Model} ({Source}): {Score}",
                grant.LeaseId, suite.Suite, suite.Version, key, source.ToString().ToLowerInvariant(), entry.Score.ToString("0.###", CultureInfo.InvariantCulture));
        else
            logger.LogInformation("Lease {Lease}: baseline for {Suite}@{Version} of model {Model} was recorded first by another run ({Stored} against this run's {Score})",
                grant.LeaseId, suite.Suite, suite.Version, key, recording.Stored.Score, entry.Score);
    }

    /// <summary>What the base is (architecture, parameters, dtype on disk, tokenizer), read from its folder as the registry reads an upload.</summary>
    private async Task NoteBaseModel(string experimentKey, string folder)
    {
        var (summary, problems) = ModelFolderCheck.CheckDirectory(folder);
        if (summary is null)
        {
            logger.LogWarning("Lease {Lease}: the base in {Folder} cannot be described: {Problem}", grant.LeaseId, folder, problems.FirstOrDefault());
            return;
        }
        await grains.GetGrain<IExperimentGrain>(experimentKey).NoteBaseModel(ModelArchitecture.Of(summary));
    }

    private string Key(bool shared, string modelHash) => GrainKeys.Baseline(shared ? null : grant.TenantId, modelHash);
}
