using System.Collections.Immutable;
using System.IO.Compression;
using System.Security.Cryptography;
using ForgetLab.Contracts.Common;
using ForgetLab.Core.Data;
using ForgetLab.Core.Specs;
using ForgetLab.Server.Models;

namespace ForgetLab.Server.Datasets;

/// <summary>
/// The files of a data set upload — the spooled body itself (one JSONL file), or the entries of a zip (at its root or in
/// one folder) — each decompressed to a temporary file counted as it expands, hashed (SHA-256) and checked: a suite header
/// (<c>.yaml</c>) by <see cref="SuiteHeaderCheck"/>, the items files it names as JSON objects a line
/// (<see cref="JsonlDataFile.CheckItems"/>) or, for an lm-eval task's CSV, row by row as the lab reads CSV
/// (<see cref="PandasCsv"/>), every other JSONL file line by line as the lab checks a data file
/// (<see cref="JsonlDataFile.Check"/>), so a refusal names the same file, line and field. An lm-eval YAML without a
/// <c>task</c> that another header of the upload includes (or a <c>…_yaml</c> file, lm-eval's include-only name) is an
/// include-only file, checked through the tasks that include it (<see cref="SuiteHeaderCheck.IncludeOnly"/>). A tokenizer
/// (<c>.json</c>) is loaded as the lab loads <c>base.tokenizer.path</c>, with the upload's <c>tokenizer_config.json</c>
/// (<see cref="TokenizerFileCheck"/>); a chat template (<c>.jinja</c>) is parsed as the lab parses <c>target.chat_template</c>
/// (<see cref="ChatTemplateFileCheck"/>); each is read whole within its own bound. A zip is refused whole for an
/// entry that is absolute, climbs out with '..', sits in a nested folder, is itself a zip, is none of those kinds of file,
/// or is a CSV file no header names; its directory is bounded before it is read (<see cref="ZipDirectory"/>).
/// </summary>
public sealed class DatasetUpload : IAsyncDisposable
{
    private readonly List<CheckedDataFile> _files = [];

    public IReadOnlyList<CheckedDataFile> Files => _files;

    /// <summary>
    /// Reads <paramref name="body"/> (the spooled upload, positioned at its start): a zip when it starts as one, else one
    /// JSONL file named <paramref name="jsonlName"/>. Answers the checked files, or every problem that stopped it.
    /// </summary>
    public static async Task<(DatasetUpload? Upload, ImmutableArray<FieldError> Errors)> Read(
        FileStream body, string? jsonlName, DatasetLimits limits, CancellationToken cancel)
    {
        var upload = new DatasetUpload();
        try
        {
            var errors = IsZip(body)
                ? await upload.ReadZip(body, limits, cancel)
                : await upload.ReadJsonl(body, jsonlName ?? "data.jsonl", limits, cancel);
            if (errors.IsEmpty) return (upload, []);
            await upload.DisposeAsync();
            return (null, errors);
        }
        catch
        {
            await upload.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var file in _files) await file.Content.DisposeAsync();
        _files.Clear();
    }

    private static bool IsZip(FileStream body)
    {
        Span<byte> magic = stackalloc byte[4];
        var read = body.Read(magic);
        body.Position = 0;
        return read == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] is 3 or 5 && magic[3] is 4 or 6;
    }

    private async Task<ImmutableArray<FieldError>> ReadJsonl(FileStream body, string name, DatasetLimits limits, CancellationToken cancel)
    {
        var single = DataRef.IsDataFile(name) || DataRef.IsTokenizerFile(name) || DataRef.IsChatTemplateFile(name);
        if (!DataRef.IsFileName(name) || !single)
            return [new FieldError(0, "file", !DataRef.IsFileName(name)
                ? $"'{SafetensorsHeaderShorten(name)}' is not a data file name: a plain name ending in .jsonl, .json (a tokenizer) or .jinja (a chat template) (letters, digits, '.', '_', '-')"
                : DataRef.IsCsvFile(name) ? $"'{name}' is an lm-eval task's items: upload it in a zip or a folder with the header that names it"
                : DataRef.IsJsonFile(name) ? $"'{name}' is a tokenizer's config: upload it in a zip or a folder with the tokenizer .json it goes with"
                : DataRef.IsIncludeOnlyFile(name) ? $"'{name}' is an lm-eval include-only file: upload it in a zip or a folder with the task headers that include it"
                : $"'{name}' is a suite header: upload it in a zip or a folder with the items files it names")];
        if (body.Length > MaxBytes(name, limits))
            return [new FieldError(0, name, $"is {body.Length} bytes, more than the {MaxBytes(name, limits)} {What(name)} may hold")];
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(body, cancel));
        body.Position = 0;
        if (!DataRef.IsDataFile(name))
            return Whole(name, body, body.Length, sha, config: null) is { } refused ? [refused] : [];
        return Check(name, body, body.Length, sha, limits, items: false) is { } problem ? [problem] : [];
    }

    private async Task<ImmutableArray<FieldError>> ReadZip(FileStream zip, DatasetLimits limits, CancellationToken cancel)
    {
        try
        {
            if (ZipDirectory.Problem(zip, limits) is { } problem) return [problem];
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            var entries = archive.Entries.Where(e => !e.FullName.Replace('\\', '/').EndsWith('/')).ToList();
            string? folder = null;
            foreach (var entry in archive.Entries)
            {
                var name = entry.FullName.Replace('\\', '/');
                if (ModelZipReader.NameProblem(entry.FullName) is { } bad) return [Entry(entry, bad)];
                if (name.EndsWith('/')) continue;
                var parts = name.Split('/');
                if (parts.Length > 2) return [Entry(entry, "is in a nested folder: zip the JSONL files at the zip's root or inside one folder")];
                var leaf = parts[^1];
                if (leaf.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) return [Entry(entry, "is a zip inside the zip: zip the JSONL files themselves")];
                if (!DataRef.IsFileName(leaf)) return [Entry(entry, "is not a data file: a data set holds .jsonl files (and .yaml suite headers with lm-eval's include-only _yaml files, .csv items of lm-eval tasks, .json tokenizers with their tokenizer_config.json, .jinja chat templates) with plain names (letters, digits, '.', '_', '-')")];
                var inFolder = parts.Length == 2 ? parts[0] : "";
                if (folder is not null && folder != inFolder) return [Entry(entry, $"is in another folder than '{(folder.Length == 0 ? "(the root)" : folder)}': zip one folder of JSONL files")];
                folder = inFolder;
            }
            if (!entries.Any(e => DataRef.IsDataFile(e.FullName) || DataRef.IsCsvFile(e.FullName) || DataRef.IsTokenizerFile(e.FullName) || DataRef.IsChatTemplateFile(e.FullName)))
                return [new FieldError(0, "", "the zip holds no .jsonl, .csv, tokenizer .json or .jinja file")];
            long expanded = 0;
            var spooled = new List<(string Leaf, FileStream Spool, long Length, string Sha)>();
            try
            {
                foreach (var entry in entries)
                {
                    var leaf = entry.FullName.Replace('\\', '/').Split('/')[^1];
                    if (spooled.Any(f => f.Leaf == leaf)) return [new FieldError(0, leaf, "the zip holds this file twice")];
                    if (entry.Length > MaxBytes(leaf, limits))
                        return [new FieldError(0, leaf, $"is {entry.Length} bytes, more than the {MaxBytes(leaf, limits)} {What(leaf)} may hold")];
                    var (spool, length, sha, error) = await Expand(entry, leaf, Math.Min(entry.CompressedLength, zip.Length), expanded, limits, cancel);
                    if (error is not null) return [error];
                    expanded += length;
                    spooled.Add((leaf, spool!, length, sha!));
                }
                // Suite headers first: they say which JSONL files are a suite's items rather than fine-tuning data.
                // Each header's bytes are read once, bounded, so a task's include: files are found among them.
                var headers = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                foreach (var (leaf, spool, length, _) in spooled.Where(f => IsHeader(f.Leaf)))
                {
                    if (length > limits.MaxSuiteHeaderBytes)
                        return [new FieldError(0, leaf, $"is {length} bytes, more than the {limits.MaxSuiteHeaderBytes} a suite header may hold")];
                    var bytes = new byte[length];
                    spool.ReadExactly(bytes);
                    spool.Position = 0;
                    headers[leaf] = bytes;
                }
                var items = new HashSet<string>(StringComparer.Ordinal);
                var includeOnly = SuiteHeaderCheck.IncludeOnly(headers);
                foreach (var (leaf, spool, length, sha) in spooled.Where(f => IsHeader(f.Leaf)))
                {
                    if (includeOnly.Contains(leaf))
                        _files.Add(new CheckedDataFile(leaf, spool, length, sha, DataShapes.SuiteInclude, 1)); // checked through the tasks that include it
                    else if (DataRef.IsIncludeOnlyFile(leaf))
                        return [new FieldError(0, leaf, "is an lm-eval include-only file (lm-eval reads a _yaml file only through another task's include:), and no header of the upload includes it")];
                    else if (Header(leaf, spool, length, sha, headers, spooled.Select(f => f.Leaf).ToHashSet(StringComparer.Ordinal), items) is { } bad) return [bad];
                }
                // Tokenizers with the config beside them, as the lab reads a tokenizer path's folder; chat templates on their own.
                var config = spooled.FirstOrDefault(f => f.Leaf == DataRef.TokenizerConfigFile);
                if (config.Spool is not null && !spooled.Any(f => DataRef.IsTokenizerFile(f.Leaf)))
                    return [new FieldError(0, config.Leaf, "is a tokenizer's config, but the upload holds no tokenizer .json for it to go with")];
                var configBytes = config.Spool is null ? null : ReadAll(config.Spool, config.Length);
                foreach (var (leaf, spool, length, sha) in spooled.Where(f => DataRef.IsTokenizerFile(f.Leaf) || DataRef.IsChatTemplateFile(f.Leaf)))
                {
                    if (Whole(leaf, spool, length, sha, configBytes) is { } bad) return [bad];
                }
                if (config.Spool is not null) _files.Add(new CheckedDataFile(config.Leaf, config.Spool, config.Length, config.Sha, DataShapes.TokenizerConfig, 1));
                foreach (var (leaf, spool, length, sha) in spooled.Where(f => DataRef.IsDataFile(f.Leaf) || DataRef.IsCsvFile(f.Leaf)))
                {
                    if (DataRef.IsCsvFile(leaf) && !items.Contains(leaf))
                        return [new FieldError(0, leaf, "no suite header names this CSV file: a data set reads CSV only as the items of an lm-eval task (dataset_path: csv, dataset_kwargs.data_files)")];
                    if (Check(leaf, spool, length, sha, limits, items.Contains(leaf)) is { } bad) return [bad];
                }
            }
            finally
            {
                // What did not join Files (refused, or not reached) goes now.
                foreach (var f in spooled.Where(f => !_files.Any(c => ReferenceEquals(c.Content, f.Spool)))) await f.Spool.DisposeAsync();
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

    /// <summary>Decompresses an entry into a temporary file, hashing it and counting the bytes really decompressed against the limits.</summary>
    private static async Task<(FileStream? Spool, long Length, string? Sha256, FieldError? Error)> Expand(
        ZipArchiveEntry entry, string leaf, long packed, long expandedBefore, DatasetLimits limits, CancellationToken cancel)
    {
        var spool = TemporaryFile();
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var source = entry.Open();
            var buffer = new byte[1 << 16];
            long length = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancel)) > 0)
            {
                length += read;
                var error = length > MaxBytes(leaf, limits) ? new FieldError(0, leaf, $"expands to more than {MaxBytes(leaf, limits)} bytes, the most {What(leaf)} may hold")
                    : limits.ExpansionProblem(leaf, length, expandedBefore + length, packed);
                if (error is not null)
                {
                    await spool.DisposeAsync();
                    return (null, 0, null, error);
                }
                sha.AppendData(buffer, 0, read);
                await spool.WriteAsync(buffer.AsMemory(0, read), cancel);
            }
            spool.Position = 0;
            return (spool, length, Convert.ToHexStringLower(sha.GetHashAndReset()), null);
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Checks one JSONL file as the lab would read it (<paramref name="items"/>: as a suite's items, one JSON object a line); on
    /// success it joins <see cref="Files"/> (and is disposed with them), else its problem at file, line and field.
    /// </summary>
    private FieldError? Check(string name, FileStream content, long length, string sha, DatasetLimits limits, bool items)
    {
        try
        {
            var (shape, examples) = DataRef.IsCsvFile(name) ? (DataShapes.SuiteItems, CsvItems(content, name, limits.MaxLineBytes))
                : items ? (DataShapes.SuiteItems, JsonlDataFile.CheckItems(content, name, limits.MaxLineBytes))
                : Shaped(JsonlDataFile.Check(content, name, limits.MaxLineBytes));
            content.Position = 0;
            _files.Add(new CheckedDataFile(name, content, length, sha, shape, examples));
            return null;
        }
        catch (DataFileException e)
        {
            content.Dispose();
            return Refusal(e);
        }
    }

    /// <summary>
    /// A suite header: checked by <see cref="SuiteHeaderCheck"/> (its include: files among the upload's <paramref name="headers"/>),
    /// each items file it names held by the upload and added to <paramref name="items"/>.
    /// </summary>
    private FieldError? Header(string name, FileStream content, long length, string sha, IReadOnlyDictionary<string, byte[]> headers, IReadOnlySet<string> held, HashSet<string> items)
    {
        try
        {
            var named = SuiteHeaderCheck.ItemsFiles(headers[name], name, headers.GetValueOrDefault);
            if (named.FirstOrDefault(f => !held.Contains(f)) is { } missing)
                return new FieldError(0, name, $"names the items file '{missing}', which the upload does not hold: put it beside the header");
            items.UnionWith(named);
            _files.Add(new CheckedDataFile(name, content, length, sha, DataShapes.SuiteHeader, 1));
            return null;
        }
        catch (DataFileException e) when (e.File == name && e.Field == "task")
        {
            return Refusal(new DataFileException(e.File, e.Line, e.Field,
                $"{e.Reason}; no other header of the upload includes this file, so it is no include-only file either"));
        }
        catch (DataFileException e)
        {
            return Refusal(e);
        }
    }

    /// <summary>
    /// A file checked whole: a tokenizer loaded as the lab loads it (with the upload's <c>tokenizer_config.json</c>,
    /// <paramref name="config"/>), or a chat template parsed as the lab parses it. On success it joins <see cref="Files"/>.
    /// </summary>
    private FieldError? Whole(string name, FileStream content, long length, string sha, byte[]? config)
    {
        try
        {
            var bytes = ReadAll(content, length);
            var shape = DataShapes.ChatTemplate;
            if (DataRef.IsTokenizerFile(name))
            {
                _ = TokenizerFileCheck.Check(name, bytes, config);
                shape = DataShapes.Tokenizer;
            }
            else ChatTemplateFileCheck.Check(name, bytes);
            _files.Add(new CheckedDataFile(name, content, length, sha, shape, 1));
            return null;
        }
        catch (DataFileException e)
        {
            content.Dispose();
            return Refusal(e);
        }
    }

    private static byte[] ReadAll(FileStream content, long length)
    {
        var bytes = new byte[length];
        content.Position = 0;
        content.ReadExactly(bytes);
        content.Position = 0;
        return bytes;
    }

    private static bool IsHeader(string name) => DataRef.IsSuiteFile(name) || DataRef.IsIncludeOnlyFile(name);

    /// <summary>The most a file of this name may hold: a data file's bound, or the bound of the file read whole (tokenizer, its config, a chat template).</summary>
    private static long MaxBytes(string name, DatasetLimits limits) =>
        name == DataRef.TokenizerConfigFile ? limits.MaxTokenizerConfigBytes
        : DataRef.IsTokenizerFile(name) ? limits.MaxTokenizerBytes
        : DataRef.IsChatTemplateFile(name) ? limits.MaxChatTemplateBytes
        : limits.MaxFileBytes;

    private static string What(string name) =>
        name == DataRef.TokenizerConfigFile ? "a tokenizer's config"
        : DataRef.IsTokenizerFile(name) ? "a tokenizer file"
        : DataRef.IsChatTemplateFile(name) ? "a chat template"
        : "a data file";

    /// <summary>An lm-eval task's CSV items, read as the job's reader reads them (<see cref="PandasCsv"/>), one row in memory at a time.</summary>
    private static int CsvItems(FileStream content, string name, int maxLineBytes) =>
        PandasCsv.Check(content, name, maxLineBytes) is > 0 and var rows ? rows : throw new DataFileException(name, 0, "", "no items: the suite is empty");

    private static (string, int) Shaped((DataShape Shape, int Examples) checkedFile) => (DataShapes.Name(checkedFile.Shape), checkedFile.Examples);

    private static FieldError Refusal(DataFileException e) => new(e.Line, e.Field.Length == 0 ? e.File : $"{e.File}.{e.Field}", e.Reason);

    private static FieldError Entry(ZipArchiveEntry entry, string why) =>
        new(0, "", $"zip entry '{SafetensorsHeaderShorten(entry.FullName)}' {why}");

    private static string SafetensorsHeaderShorten(string value) => Core.Models.SafetensorsHeader.Shorten(value);

    private static FileStream TemporaryFile() =>
        new(Path.Combine(Path.GetTempPath(), $"forgetlab-dataset-{Guid.NewGuid():N}.jsonl"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}
