using System.Security.Cryptography;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Models;
using ForgetLab.Core.Specs;
using Microsoft.Extensions.Logging;

namespace ForgetLab.Worker;

/// <summary>
/// Brings the registered model a spec's <c>base.model_ref</c> names onto this machine: from the
/// tenant's <see cref="IModelRegistryGrain"/> to <c>{work}/models/{tenant}/{name}-{weights hash}/</c>,
/// each file checked against the SHA-256 the registry recorded. A folder already there is reused.
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
        var model = await grains.GetGrain<IModelRegistryGrain>(GrainKeys.Tenant(tenantId)).Find(name)
            ?? throw new InvalidOperationException($"base.model_ref: no model '{name}' in tenant '{tenantId}''s registry");
        var weights = model.Files.Single(f => f.Name == Lab.Model.ModelFolder.WeightsFile).Sha256;
        var folder = Path.Combine(workDirectory, "models", tenantId, $"{name}-{weights[..12]}");
        if (Directory.Exists(folder)) return folder;

        var staging = $"{folder}.staging-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        var prefix = model.BlobPrefix[(store.Container.Name.Length + 1)..];
        foreach (var file in model.Files)
        {
            var path = Path.Combine(staging, file.Name);
            await store.Container.GetBlobClient(prefix + file.Name).DownloadToAsync(path, cancel);
            await using var stream = File.OpenRead(path);
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancel));
            if (sha != file.Sha256)
                throw new InvalidDataException($"model '{name}': {file.Name} has SHA-256 {sha}, the registry recorded {file.Sha256}");
        }
        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            Directory.Delete(staging, recursive: true); // another job of this worker brought it first
        }
        logger.LogInformation("Downloaded model {Model} of {Tenant} ({Parameters} parameters) to {Folder}", name, tenantId, model.Architecture.Parameters, folder);
        return folder;
    }
}
