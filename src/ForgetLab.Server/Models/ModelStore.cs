using System.IO.Compression;
using Azure;
using Azure.Storage.Blobs;
using ForgetLab.Contracts.Common;

namespace ForgetLab.Server.Models;

/// <summary>
/// Registered models' files in Blob storage: <c>{tenant}/models/{name}/{files hash}/</c> in the
/// checkpoints container. The hash folder keeps two uploads racing for a new name from writing over
/// each other's files: the registry keeps one, and the other's files are never read. An experiment's base, which the first worker to prepare it stores under
/// <c>{tenant}/{experiment}/base/</c>, is copied there when it is registered as a model.
/// </summary>
public sealed class ModelStore(BlobContainerClient container)
{
    public static string ModelPrefix(string tenant, string name, string filesHash) => $"{tenant}/models/{name}/{filesHash}/";

    public static string ExperimentBasePrefix(string tenant, string experiment) => $"{tenant}/{experiment}/base/";

    /// <summary>Stores the files (the vocabulary last) and answers the folder's location, <c>{container}/{prefix}</c>.</summary>
    public async Task<string> Save(string tenant, string name, string filesHash, IReadOnlyDictionary<string, byte[]> files, CancellationToken cancel)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: cancel);
        var prefix = ModelPrefix(tenant, name, filesHash);
        foreach (var file in ModelFolderCheck.Files)
            await container.GetBlobClient(prefix + file).UploadAsync(BinaryData.FromBytes(files[file]), overwrite: true, cancel);
        return $"{container.Name}/{prefix}";
    }

    /// <summary>The experiment's stored base, or null while no worker has stored it.</summary>
    public async Task<Dictionary<string, byte[]>?> ReadExperimentBase(string tenant, string experiment, CancellationToken cancel)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in ModelFolderCheck.Files)
        {
            try
            {
                var content = await container.GetBlobClient(ExperimentBasePrefix(tenant, experiment) + file).DownloadContentAsync(cancel);
                files[file] = content.Value.Content.ToArray();
            }
            catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
            {
                return null;
            }
        }
        return files;
    }

    /// <summary>
    /// The model files in a zip of a folder: at its root or inside one folder. Other files are left
    /// out; a zip that is not one, or holds a model file twice, is an error of the document.
    /// </summary>
    public static (Dictionary<string, byte[]>? Files, FieldError? Error) ReadZip(Stream zip)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read);
            foreach (var entry in archive.Entries.Where(e => e.Length > 0 || !e.FullName.EndsWith('/')))
            {
                var name = entry.FullName.Replace('\\', '/');
                var leaf = name[(name.LastIndexOf('/') + 1)..];
                if (!ModelFolderCheck.Files.Contains(leaf) || name.Count(c => c == '/') > 1) continue;
                if (files.ContainsKey(leaf)) return (null, new FieldError(0, "", $"the zip holds {leaf} twice; zip one model folder"));
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                files[leaf] = copy.ToArray();
            }
        }
        catch (InvalidDataException e)
        {
            return (null, new FieldError(0, "", $"not a zip file: {e.Message}"));
        }
        return (files, null);
    }
}
