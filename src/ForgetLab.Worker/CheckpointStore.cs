using Azure.Storage.Blobs;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Models;
using ForgetLab.Worker.Observability;
using Microsoft.Extensions.Logging;

namespace ForgetLab.Worker;

/// <summary>
/// Checkpoints in Blob storage under <c>{tenant}/{experiment}/{run}/step-{n}/</c> (the run key is
/// <c>{tenant}/{experiment}/{run}</c>): the files its manifest lists, the manifest, and once evaluated its
/// <c>items.jsonl</c>. A checkpoint is resumed from only when its manifest's SHA-256 is the one the run
/// recorded and every file matches the manifest; otherwise an earlier intact one is used, or none.
/// </summary>
public sealed class CheckpointStore(BlobContainerClient container, ILogger<CheckpointStore> logger)
{
    public BlobContainerClient Container => container;

    public Task EnsureContainer(CancellationToken cancel) => container.CreateIfNotExistsAsync(cancellationToken: cancel);

    public static string Prefix(string runKey, long step) => $"{runKey}/{CheckpointFolder.FolderName(step)}/";

    public string Location(string runKey, long step) => $"{container.Name}/{Prefix(runKey, step)}";

    /// <summary>
    /// Uploads the manifest's files and the manifest (last); answers the blob location. The folder is checked
    /// against its manifest first, so a retry after an outage never uploads a file that changed or broke meanwhile.
    /// </summary>
    public async Task<string> UploadCheckpoint(string runKey, long step, string folder, CancellationToken cancel)
    {
        if (CheckpointFolder.Verify(folder) is { } problem) throw new InvalidDataException($"the checkpoint at step {step} in {folder}: {problem}");
        var manifest = Path.Combine(folder, CheckpointFolder.ManifestFile);
        var files = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(manifest, cancel)) ?? [];
        foreach (var file in files.Keys.Order(StringComparer.Ordinal))
            await UploadFile(Prefix(runKey, step) + file, Path.Combine(folder, file), cancel);
        await UploadFile(Prefix(runKey, step) + CheckpointFolder.ManifestFile, manifest, cancel);
        return Location(runKey, step);
    }

    public async Task UploadFile(string blobName, string path, CancellationToken cancel)
    {
        try
        {
            await container.GetBlobClient(blobName).UploadAsync(path, overwrite: true, cancellationToken: cancel);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            WorkerMetrics.StorageFailed("upload");
            throw;
        }
        WorkerMetrics.CheckpointWritten(new FileInfo(path).Length);
    }

    /// <summary>The checkpoint's per-item results and, when the job wrote it, its report (what a resumed run's report carries over).</summary>
    public async Task UploadItems(string runKey, long step, string folder, CancellationToken cancel)
    {
        await UploadFile(Prefix(runKey, step) + ItemResultsFile.FileName, Path.Combine(folder, ItemResultsFile.FileName), cancel);
        var report = Path.Combine(folder, CheckpointFolder.CheckpointReportFile);
        if (File.Exists(report)) await UploadFile(Prefix(runKey, step) + CheckpointFolder.CheckpointReportFile, report, cancel);
    }

    /// <summary>Whether storage holds the checkpoint's manifest (uploaded last, so the files before it are there too).</summary>
    public async Task<bool> HasCheckpoint(string runKey, long step, CancellationToken cancel) =>
        (await container.GetBlobClient(Prefix(runKey, step) + CheckpointFolder.ManifestFile).ExistsAsync(cancel)).Value;

    /// <summary>Whether storage holds the checkpoint's per-item results.</summary>
    public async Task<bool> HasItems(string runKey, long step, CancellationToken cancel) =>
        (await container.GetBlobClient(Prefix(runKey, step) + ItemResultsFile.FileName).ExistsAsync(cancel)).Value;

    /// <summary>
    /// Downloads the reports of the run's checkpoints up to <paramref name="upToStep"/> (evaluated by the jobs
    /// before this one) into <paramref name="folder"/> as <c>step-{n}.json</c>; null when there are none.
    /// </summary>
    public async Task<string?> DownloadEarlierReports(string runKey, long upToStep, string folder, CancellationToken cancel)
    {
        var found = 0;
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix: runKey + "/step-", cancellationToken: cancel))
        {
            var parts = blob.Name[(runKey.Length + 1)..].Split('/');
            if (parts is not [var stepFolder, CheckpointFolder.CheckpointReportFile] || CheckpointFolder.StepOfName(stepFolder) is not { } step || step > upToStep) continue;
            if (found++ == 0)
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                Directory.CreateDirectory(folder);
            }
            await container.GetBlobClient(blob.Name).DownloadToAsync(Path.Combine(folder, $"{stepFolder}.json"), cancel);
        }
        return found == 0 ? null : folder;
    }

    /// <summary>
    /// Stores the experiment's base model once under <c>{tenant}/{experiment}/base/</c>: every model file of
    /// the folder (weights or shards, tokenizer files), config.json last, so its presence says the folder is
    /// whole, so the tenant can register it as a model.
    /// </summary>
    public async Task UploadBaseOnce(string experimentKey, string baseFolder, CancellationToken cancel)
    {
        var prefix = $"{experimentKey}/base/";
        if (await container.GetBlobClient(prefix + ModelFiles.ConfigFile).ExistsAsync(cancel)) return;
        foreach (var file in ModelFiles.InFolder(baseFolder))
            await UploadFile(prefix + file, Path.Combine(baseFolder, file), cancel);
        logger.LogInformation("Stored the base of {Experiment} from {Folder}", experimentKey, baseFolder);
    }

    /// <summary>
    /// Downloads the checkpoint to resume from into <paramref name="downloadRoot"/> and verifies it: the one the
    /// lease names when intact, else the newest intact earlier one. Null: start from scratch.
    /// </summary>
    public async Task<string?> DownloadResumable(string runKey, CheckpointRecord? latest, string downloadRoot, CancellationToken cancel)
    {
        if (latest is null) return null;
        var steps = new SortedSet<long>(Comparer<long>.Create((a, b) => b.CompareTo(a)));
        await foreach (var item in container.GetBlobsByHierarchyAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix: runKey + "/", delimiter: "/", cancellationToken: cancel))
        {
            var name = item.IsPrefix ? item.Prefix.TrimEnd('/') : item.Blob.Name;
            var leaf = name[(name.LastIndexOf('/') + 1)..];
            if (CheckpointFolder.StepOfName(leaf) is { } s && s <= latest.Step) steps.Add(s);
        }

        foreach (var step in steps)
        {
            var folder = Path.Combine(downloadRoot, CheckpointFolder.FolderName(step));
            var problem = await DownloadAndVerify(runKey, step, step == latest.Step ? latest.Sha256 : null, folder, cancel);

            if (problem is null)
            {
                logger.LogInformation("Resuming {Run} from the checkpoint at step {Step}", runKey, step);
                return folder;
            }

            logger.LogWarning("Refusing the checkpoint of {Run} at step {Step}: {Problem}", runKey, step, problem);
            Directory.Delete(folder, recursive: true);
        }

        logger.LogWarning("No intact checkpoint of {Run} up to step {Step}; starting from scratch", runKey, latest.Step);
        return null;
    }

    /// <summary>
    /// Reads an uploaded checkpoint back from storage into a scratch folder (deleted after) and checks every file against its manifest and the
    /// manifest against <paramref name="sha256"/>: what a preempted run's lease waits for. Null when intact, else the problem.
    /// </summary>
    public async Task<string?> VerifyUploaded(string runKey, long step, string sha256, string scratchFolder, CancellationToken cancel)
    {
        try
        {
            return await DownloadAndVerify(runKey, step, sha256, scratchFolder, cancel);
        }
        finally
        {
            if (Directory.Exists(scratchFolder)) Directory.Delete(scratchFolder, recursive: true);
        }
    }

    /// <summary>Downloads one checkpoint's files into <paramref name="folder"/> and verifies them (and the manifest's hash when given); null when intact.</summary>
    private async Task<string?> DownloadAndVerify(string runKey, long step, string? sha256, string folder, CancellationToken cancel)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix: Prefix(runKey, step), cancellationToken: cancel))
        {
            var file = blob.Name[Prefix(runKey, step).Length..];
            if (file.Contains('/')) continue;
            try
            {
                await container.GetBlobClient(blob.Name).DownloadToAsync(Path.Combine(folder, file), cancel);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                WorkerMetrics.StorageFailed("download");
                throw;
            }
            WorkerMetrics.CheckpointRead(new FileInfo(Path.Combine(folder, file)).Length);
        }

        var problem = CheckpointFolder.Verify(folder);
        if (problem is null && sha256 is not null)
        {
            var sha = CheckpointFolder.Sha256(Path.Combine(folder, CheckpointFolder.ManifestFile));
            if (!string.Equals(sha, sha256, StringComparison.OrdinalIgnoreCase))
                problem = $"manifest SHA-256 {sha} is not the {sha256} the run recorded";
        }
        return problem;
    }
}
