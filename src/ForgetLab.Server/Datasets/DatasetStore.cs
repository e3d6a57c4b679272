using System.Collections.Immutable;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ForgetLab.Contracts.Datasets;
using ForgetLab.Core.Data;

namespace ForgetLab.Server.Datasets;

/// <summary>
/// Registered data sets' files in Blob storage: <c>{tenant}/datasets/{name}/{upload id}/{file}.jsonl</c> in the checkpoints
/// container, beside the tenant's models. Each upload writes under an id of its own, so two uploads racing for a new name
/// never write over each other's files: the registry keeps one, and the other's files are deleted. Files are stored only
/// after every one of them passed its checks.
/// </summary>
public sealed class DatasetStore(BlobContainerClient container)
{
    public static string DatasetPrefix(string tenant, string name, string uploadId) => $"{tenant}/datasets/{name}/{uploadId}/";

    public BlobContainerClient Container => container;

    /// <summary>Stores the checked files under a new upload id; answers the record to register (its location is <c>{container}/{prefix}</c>).</summary>
    public async Task<DatasetRecord> Store(string tenant, string name, IReadOnlyList<CheckedDataFile> files, DateTimeOffset now, CancellationToken cancel)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: cancel);
        var prefix = DatasetPrefix(tenant, name, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)));
        try
        {
            foreach (var file in files)
            {
                file.Content.Position = 0;
                await container.GetBlobClient(prefix + file.Name).UploadAsync(file.Content, overwrite: false, cancel);
            }
        }
        catch
        {
            await Delete($"{container.Name}/{prefix}", CancellationToken.None);
            throw;
        }
        return new DatasetRecord(name,
            [.. files.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => new DatasetFile(f.Name, f.Bytes, f.Sha256, f.Shape, f.Examples))],
            $"{container.Name}/{prefix}", now);
    }

    /// <summary>Deletes every blob under a record's location (<c>{container}/{prefix}</c>).</summary>
    public async Task Delete(string blobPrefix, CancellationToken cancel)
    {
        var prefix = blobPrefix[(container.Name.Length + 1)..];
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: prefix, cancellationToken: cancel))
            await container.DeleteBlobIfExistsAsync(blob.Name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancel);
    }

    /// <summary>The blob names under a tenant's data sets (tests: nothing is left of a refused upload).</summary>
    public async Task<ImmutableArray<string>> Blobs(string tenant, CancellationToken cancel)
    {
        if (!(await container.ExistsAsync(cancel)).Value) return [];
        var names = ImmutableArray.CreateBuilder<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: $"{tenant}/datasets/", cancellationToken: cancel))
            names.Add(blob.Name);
        return names.ToImmutable();
    }
}
