using System.Collections.Immutable;
using System.IO.Compression;
using ForgetLab.Contracts.Common;
using ForgetLab.Core.Models;

namespace ForgetLab.Server.Models;

/// <summary>
/// The model files in a zip of a folder (config, weights and shards, tokenizer files: <see cref="ModelFiles.IsModelFile"/>),
/// at its root or inside one folder, streamed into <see cref="StagedModelFiles"/>; other files are left out, never decompressed. The zip's directory
/// is bounded before it is read (<see cref="ZipDirectory"/>). An entry whose name is absolute or climbs
/// out with '..' makes the zip an error: a zip of one folder has neither, and an extractor would write
/// it outside.
/// </summary>
public static class ModelZipReader
{
    /// <summary>Every problem that stopped the reading, or none (the files' own checks come after).</summary>
    public static async Task<ImmutableArray<FieldError>> Read(Stream zip, StagedModelFiles into, UploadLimits limits, CancellationToken cancel)
    {
        try
        {
            if (ZipDirectory.Problem(zip, limits) is { } problem) return [problem];
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            var entries = archive.Entries;
            foreach (var entry in entries)
            {
                if (NameProblem(entry.FullName) is { } bad) return [new FieldError(0, "", $"zip entry '{SafetensorsHeader.Shorten(entry.FullName)}' {bad}")];
            }
            foreach (var entry in entries.Where(e => !e.FullName.EndsWith('/')))
            {
                var name = entry.FullName.Replace('\\', '/');
                var leaf = name[(name.LastIndexOf('/') + 1)..];
                if (!ModelFiles.IsModelFile(leaf) || name.Count(c => c == '/') > 1) continue;
                if (entry.Length > limits.MaxBytes(leaf))
                    return [new FieldError(0, leaf, $"is {entry.Length} bytes, more than the {limits.MaxBytes(leaf)} a {leaf} may hold")];
                await using var stream = entry.Open();
                // The reader takes at most the entry's compressed length from the zip, and the zip has no more than its length.
                var errors = await into.Add(leaf, stream, Math.Min(entry.CompressedLength, zip.Length), cancel);
                if (!errors.IsEmpty) return errors;
            }
        }
        catch (InvalidDataException e)
        {
            return [new FieldError(0, "", $"not a zip file, or a corrupt one: {e.Message}")];
        }
        catch (NotSupportedException e)
        {
            return [new FieldError(0, "", $"a zip entry uses what the server cannot read: {e.Message}")];
        }
        catch (EndOfStreamException)
        {
            return [new FieldError(0, "", "not a zip file: it ends inside a record")];
        }
        return [];
    }

    /// <summary>Why an entry name cannot be in a zip of one folder, or null.</summary>
    public static string? NameProblem(string fullName)
    {
        var name = fullName.Replace('\\', '/');
        if (name.Length == 0) return "has no name";
        if (name.Contains('\0')) return "has a NUL character in its name";
        if (name.StartsWith('/') || (name.Length > 1 && name[1] == ':')) return "is an absolute path: a zip of a model folder names its files relative to it";
        if (name.Split('/').Contains("..")) return "climbs out of the folder with '..'";
        return null;
    }
}
