using System.Security.Cryptography;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Datasets;
using ForgetLab.Core.Specs;
using Microsoft.Extensions.Logging;

namespace ForgetLab.Worker;

/// <summary>
/// Brings the registered data sets a spec names with <c>data_ref</c> onto this machine, as <see cref="RegisteredModels"/>
/// brings models: from the tenant's <see cref="IDatasetRegistryGrain"/> to <c>{work}/datasets/{tenant}/{name}-{files hash}/</c>,
/// every file checked against its recorded length and SHA-256 before the job may read it. A folder already there is reused.
/// </summary>
public sealed class RegisteredDatasets(IGrainFactory grains, CheckpointStore store, string workDirectory, ILogger logger)
{
    /// <summary>Name → folder of every data set the spec names (empty when it names none).</summary>
    public async Task<IReadOnlyDictionary<string, string>> Prepare(string tenantId, string specText, SpecFiles files, CancellationToken cancel)
    {
        IReadOnlyList<DataRef> named;
        try
        {
            named = SpecLoader.ParseUnder(specText, "spec.yaml", files).DataRefs;
        }
        catch (SpecValidationException)
        {
            return new Dictionary<string, string>(); // the job reports what is wrong with the spec
        }
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in named.Select(d => d.Name).Distinct(StringComparer.Ordinal))
            folders[name] = await Fetch(tenantId, name, cancel);
        return folders;
    }

    private async Task<string> Fetch(string tenantId, string name, CancellationToken cancel)
    {
        var dataset = await grains.GetGrain<IDatasetRegistryGrain>(GrainKeys.Tenant(tenantId)).Find(name)
            ?? throw new InvalidDataException($"data_ref: no data set '{name}' in tenant '{tenantId}''s registry (deleted after the experiment was submitted?)");
        var folder = Path.Combine(workDirectory, "datasets", tenantId, $"{name}-{dataset.FilesHash[..12]}");
        if (Directory.Exists(folder)) return folder;

        var staging = $"{folder}.staging-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            await Download(dataset, staging, cancel);
        }
        catch
        {
            Directory.Delete(staging, recursive: true); // nothing unverified stays behind to be mistaken for the data set
            throw;
        }
        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            Directory.Delete(staging, recursive: true); // another job of this worker brought it first
        }
        logger.LogInformation("Downloaded data set {Dataset} of {Tenant} ({Files} files, {Bytes} bytes) to {Folder}",
            name, tenantId, dataset.Files.Length, dataset.Files.Sum(f => f.Bytes), folder);
        return folder;
    }

    /// <summary>Every file of the record into <paramref name="staging"/>, each checked against its recorded length and SHA-256.</summary>
    private async Task Download(DatasetRecord dataset, string staging, CancellationToken cancel)
    {
        var prefix = dataset.BlobPrefix[(store.Container.Name.Length + 1)..];
        foreach (var file in dataset.Files)
        {
            // The registry's names are plain .jsonl names; anything else is not downloaded anywhere.
            if (!DataRef.IsFileName(file.Name))
                throw new InvalidDataException($"data set '{dataset.Name}': the registry lists '{file.Name}', which is not a data file's name");
            var path = Path.Combine(staging, file.Name);
            await store.Container.GetBlobClient(prefix + file.Name).DownloadToAsync(path, cancel);
            await using var stream = File.OpenRead(path);
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancel));
            if (stream.Length != file.Bytes || sha != file.Sha256)
                throw new InvalidDataException($"data set '{dataset.Name}': {file.Name} has {stream.Length} bytes and SHA-256 {sha}, the registry recorded {file.Bytes} and {file.Sha256}");
        }
    }
}
