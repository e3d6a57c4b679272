using System.Collections.Immutable;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using ForgetLab.Contracts.Common;
using ForgetLab.Core.Models;

namespace ForgetLab.Server.Models;

/// <summary>
/// Registered models' files in Blob storage: <c>{tenant}/models/{name}/{upload id}/</c> in the
/// checkpoints container. Each upload writes under an id of its own, so two uploads racing for a new
/// name never write over each other's files: the registry keeps one, and the other's files are
/// discarded. Files stream in as staged blocks and are committed only once the whole folder passed
/// its checks. An experiment's base, which the first worker to prepare it stores under
/// <c>{tenant}/{experiment}/base/</c>, is streamed the same way when it is registered as a model.
/// </summary>
public sealed class ModelStore(BlobContainerClient container)
{
    public static string ModelPrefix(string tenant, string name, string uploadId) => $"{tenant}/models/{name}/{uploadId}/";

    public static string ExperimentBasePrefix(string tenant, string experiment) => $"{tenant}/{experiment}/base/";

    public BlobContainerClient Container => container;

    /// <summary>A new upload's files for the model <paramref name="name"/>; its location is <c>{container}/{prefix}</c>.</summary>
    public async Task<(StagedModelFiles Files, string Location)> Begin(string tenant, string name, UploadLimits limits, CancellationToken cancel)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: cancel);
        var prefix = ModelPrefix(tenant, name, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)));
        return (new StagedModelFiles(new BlobBlocks(container, prefix), limits), $"{container.Name}/{prefix}");
    }

    /// <summary>
    /// Streams the experiment's stored base (every model file under its prefix) into <paramref name="into"/>;
    /// false while no worker has stored it whole (config.json is stored last).
    /// </summary>
    public async Task<(bool Found, ImmutableArray<FieldError> Errors)> ReadExperimentBase(
        string tenant, string experiment, StagedModelFiles into, CancellationToken cancel)
    {
        var prefix = ExperimentBasePrefix(tenant, experiment);
        if (!(await container.GetBlobClient(prefix + ModelFiles.ConfigFile).ExistsAsync(cancel)).Value) return (false, []);
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: prefix, cancellationToken: cancel))
        {
            var file = blob.Name[prefix.Length..];
            if (file.Contains('/') || !ModelFiles.IsModelFile(file)) continue;
            await using var stream = await container.GetBlobClient(blob.Name).OpenReadAsync(cancellationToken: cancel);
            var errors = await into.Add(file, stream, compressedLength: null, cancel);
            if (!errors.IsEmpty) return (true, errors);
        }
        return (true, []);
    }

    /// <summary>Staged blocks against the blob a file will be, under the upload's prefix.</summary>
    private sealed class BlobBlocks(BlobContainerClient container, string prefix) : IModelBlocks
    {
        public async Task Stage(string file, string blockId, ReadOnlyMemory<byte> block, CancellationToken cancel)
        {
            using var content = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(block, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(block.ToArray(), writable: false);
            await container.GetBlockBlobClient(prefix + file).StageBlockAsync(blockId, content, cancellationToken: cancel);
        }

        public Task Commit(string file, IReadOnlyList<string> blockIds, CancellationToken cancel) =>
            container.GetBlockBlobClient(prefix + file).CommitBlockListAsync(blockIds, cancellationToken: cancel);

        public async Task Discard(string file, CancellationToken cancel)
        {
            // Committing no blocks drops the staged ones; the empty blob that leaves is then deleted.
            var blob = container.GetBlockBlobClient(prefix + file);
            await blob.CommitBlockListAsync([], cancellationToken: cancel);
            await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancel);
        }
    }
}
