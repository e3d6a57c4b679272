using System.IO.Compression;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Grains.Experiments;

namespace ForgetLab.Server.Reports;

/// <summary>
/// Reads checkpoint folders the workers upload to the checkpoints container
/// (<c>{tenant}/{experiment}/{run}/step-{n}/</c>, docs/architecture.md): the per-item outcomes and
/// the adapter files of a LoRA checkpoint. Tenant checks happen before any call here; the experiment grain's search reads
/// only checkpoints its own runs reported (<see cref="ICheckpointItemReader"/>).
/// </summary>
public sealed class CheckpointStore(BlobContainerClient container) : ICheckpointItemReader
{
    public const string ItemsFile = ItemResultsFile.FileName;
    public static readonly string[] AdapterFiles = ["adapter_config.json", "adapter_model.safetensors"];

    /// <summary>The folder inside the container: the recorded location without the container's name, or the standard layout.</summary>
    public string Folder(string tenant, string experiment, string run, long step, string? blobLocation = null)
    {
        return blobLocation is { Length: > 0 } location ? FolderAt(location) : $"{tenant}/{experiment}/{run}/{CheckpointFolder.FolderName(step)}/";
    }

    /// <summary>The folder inside the container of a recorded location (container name first, or not).</summary>
    public string FolderAt(string blobLocation)
    {
        var prefix = container.Name + "/";
        var inContainer = blobLocation.StartsWith(prefix, StringComparison.Ordinal) ? blobLocation[prefix.Length..] : blobLocation;
        return inContainer.EndsWith('/') ? inContainer : inContainer + "/";
    }

    /// <summary>The search's read of a run's rung checkpoint, at the location its worker reported.</summary>
    Task<IReadOnlyList<ItemResult>?> ICheckpointItemReader.Read(string blobLocation, CancellationToken cancel) => ReadItems(FolderAt(blobLocation), cancel);

    /// <summary>The checkpoint's per-item outcomes, or null when it was not evaluated (no items.jsonl).</summary>
    public async Task<IReadOnlyList<ItemResult>?> ReadItems(string folder, CancellationToken cancel)
    {
        try
        {
            var content = await container.GetBlobClient(folder + ItemsFile).DownloadContentAsync(cancel);
            var items = new List<ItemResult>();
            using var reader = new StringReader(content.Value.Content.ToString());
            while (await reader.ReadLineAsync(cancel) is { } line)
            {
                if (line.Length == 0) continue;
                items.Add(JsonSerializer.Deserialize<ItemResult>(line) ?? throw new InvalidDataException($"{folder}{ItemsFile}: a null line"));
            }

            return items;
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// The base model's answer per item id from a recorded baseline file (the lab's
    /// <c>SuiteEvaluation</c>: <c>outcomes.item_ids</c> and <c>responses</c> in the same order), or
    /// null when the file is not there. <paramref name="blobLocation"/> is the baseline entry's
    /// location, container name first.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string?>?> ReadBaselineAnswers(string blobLocation, CancellationToken cancel)
    {
        var prefix = container.Name + "/";
        var blob = blobLocation.StartsWith(prefix, StringComparison.Ordinal) ? blobLocation[prefix.Length..] : blobLocation;
        BinaryData content;
        try
        {
            content = (await container.GetBlobClient(blob).DownloadContentAsync(cancel)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }

        using var json = JsonDocument.Parse(content.ToMemory());
        var ids = json.RootElement.GetProperty("outcomes").GetProperty("item_ids");
        var responses = json.RootElement.TryGetProperty("responses", out var r) ? r : default;
        var answers = new Dictionary<string, string?>();
        var i = 0;
        foreach (var id in ids.EnumerateArray())
        {
            answers[id.GetString() ?? throw new InvalidDataException($"{blob}: a null item id")] =
                responses.ValueKind == JsonValueKind.Array && i < responses.GetArrayLength() ? responses[i].GetString() : null;
            i++;
        }

        return answers;
    }

    /// <summary>A zip of the adapter files, or null when the folder holds no adapter (a full-model checkpoint).</summary>
    public async Task<byte[]?> ZipAdapter(string folder, CancellationToken cancel)
    {
        var files = new List<(string Name, BinaryData Content)>();
        foreach (var name in AdapterFiles)
        {
            try
            {
                files.Add((name, (await container.GetBlobClient(folder + name).DownloadContentAsync(cancel)).Value.Content));
            }
            catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
            {
                return null;
            }
        }

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                entry.Write(content.ToMemory().Span);
            }
        }

        return buffer.ToArray();
    }
}
