using System.Collections.Immutable;
using ForgetLab.Contracts.Registry;

namespace ForgetLab.Contracts.Datasets;

/// <summary>
/// A data set in a tenant's registry: one or more JSONL files, each checked at upload as the lab checks a data file,
/// kept in Blob storage under <see cref="BlobPrefix"/> (<c>checkpoints/{tenant}/datasets/{name}/{upload id}/</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.DatasetRecord")]
public sealed record DatasetRecord(
    [property: Id(0)] string Name,
    [property: Id(1)] ImmutableArray<DatasetFile> Files,
    [property: Id(2)] string BlobPrefix,
    [property: Id(3)] DateTimeOffset RegisteredAt) : IRegistryEntry<DatasetFile>
{
    /// <summary>The identity of the files: SHA-256 over their names and hashes, in name order.</summary>
    public string FilesHash => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
        string.Join("\n", Files.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => $"{f.Name}\0{f.Sha256}")))));
}
