using System.Security.Cryptography;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Models;
using ForgetLab.Core.Models;
using ForgetLab.Core.Specs;
using Microsoft.Extensions.Logging;

namespace ForgetLab.Worker;

/// <summary>
/// Brings the registered model a spec's <c>base.model_ref</c> (or an evaluation-only run's <c>evaluate</c> entry) names onto this machine: from the
/// tenant's <see cref="IModelRegistryGrain"/> to <c>{work}/models/{tenant}/{name}-{files hash}/</c>: every
/// file the registry recorded (config, weights or shards and their index, tokenizer files), each
/// checked against its recorded length and SHA-256, and the whole folder checked again as the server
/// checked it (<see cref="ModelFolderCheck"/>) before it is used. A folder already there is reused.
/// </summary>
public sealed class RegisteredModels(IGrainFactory grains, CheckpointStore store, string workDirectory, ILogger logger)
{
    /// <summary>The model's folder, or null when the spec's base is not a registered model.</summary>
    public async Task<string?> Prepare(string tenantId, string specText, SpecFiles files, CancellationToken cancel)
    {
        string name;
        try
        {
            if (SpecLoader.ParseUnder(specText, "spec.yaml", files).Base.ModelRef is not { } named) return null;
            name = named;
        }
        catch (SpecValidationException)
        {
            return null; // the job reports what is wrong with the spec
        }
        return await Fetch(tenantId, name, "base.model_ref", cancel);
    }

    /// <summary>The folder of the registered model an evaluation-only spec's entry <paramref name="runName"/> names, or null when it names a folder (or none).</summary>
    public async Task<string?> PrepareEvaluated(string tenantId, string specText, SpecFiles files, string runName, CancellationToken cancel)
    {
        string name;
        try
        {
            if (SpecLoader.ParseUnder(specText, "spec.yaml", files).Evaluate.FirstOrDefault(e => e.Name == runName)?.ModelRef is not { } named) return null;
            name = named;
        }
        catch (SpecValidationException)
        {
            return null; // the job reports what is wrong with the spec
        }
        return await Fetch(tenantId, name, "evaluate.model_ref", cancel);
    }

    private async Task<string> Fetch(string tenantId, string name, string field, CancellationToken cancel)
    {
        var model = await grains.GetGrain<IModelRegistryGrain>(GrainKeys.Tenant(tenantId)).Find(name)
            ?? throw new InvalidOperationException($"{field}: no model '{name}' in tenant '{tenantId}''s registry");
        var folder = Path.Combine(workDirectory, "models", tenantId, $"{name}-{FilesHash(model)[..12]}");
        if (Directory.Exists(folder)) return folder;

        var staging = $"{folder}.staging-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            await Download(model, staging, cancel);
        }
        catch
        {
            Directory.Delete(staging, recursive: true); // nothing half-checked stays behind to be mistaken for the model
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
        logger.LogInformation("Downloaded model {Model} of {Tenant} ({Parameters} parameters, {Files} files) to {Folder}",
            name, tenantId, model.Architecture.Parameters, model.Files.Length, folder);
        return folder;
    }

    /// <summary>Every file of the record into <paramref name="staging"/>, each checked against its recorded length and SHA-256, then the folder as a whole.</summary>
    private async Task Download(ModelRecord model, string staging, CancellationToken cancel)
    {
        var prefix = model.BlobPrefix[(store.Container.Name.Length + 1)..];
        foreach (var file in model.Files)
        {
            // The registry's names are plain file names of a model folder; anything else is not downloaded anywhere.
            if (!ModelFiles.IsModelFile(file.Name) || Path.GetFileName(file.Name) != file.Name)
                throw new InvalidDataException($"model '{model.Name}': the registry lists '{file.Name}', which is not a model folder's file");
            var path = Path.Combine(staging, file.Name);
            await store.Container.GetBlobClient(prefix + file.Name).DownloadToAsync(path, cancel);
            await using var stream = File.OpenRead(path);
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancel));
            if (stream.Length != file.Bytes || sha != file.Sha256)
                throw new InvalidDataException($"model '{model.Name}': {file.Name} has {stream.Length} bytes and SHA-256 {sha}, the registry recorded {file.Bytes} and {file.Sha256}");
        }
        if (model.Adapter is { } adapter)
        {
            // An adapter is checked against its base's recorded shape, as the server checked it at upload.
            var shape = model.Architecture.Shape() ?? throw new InvalidDataException($"adapter '{model.Name}': its base's shape was not recorded");
            if (PeftAdapterCheck.CheckDirectory(staging, shape, adapter.BaseModel).Problems is [var problem, ..])
                throw new InvalidDataException($"adapter '{model.Name}': the downloaded folder is not an adapter the lab evaluates: {problem}");
        }
        else if (ModelFolderCheck.CheckDirectory(staging).Problems is [var first, ..])
            throw new InvalidDataException($"model '{model.Name}': the downloaded folder is not a model the lab loads: {first}");
    }

    /// <summary>The identity of a record's files: SHA-256 over their names and hashes, in name order.</summary>
    public static string FilesHash(ModelRecord model) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join("\n", model.Files.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => $"{f.Name}\0{f.Sha256}")))));
}
