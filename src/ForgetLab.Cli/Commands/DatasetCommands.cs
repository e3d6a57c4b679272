using System.CommandLine;
using System.IO.Compression;
using ForgetLab.Cli.Platform;
using ForgetLab.Contracts.Datasets;
using ForgetLab.Core.Data;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Suites;

namespace ForgetLab.Cli.Commands;

/// <summary>
/// <c>forgetlab datasets upload PATH --name N | list | show N | delete N</c>: the tenant's data sets, which specs name with
/// <c>{ data_ref: N, file: F }</c> where a data file goes. The server checks every line as the lab does.
/// </summary>
internal static class DatasetCommands
{
    public static Command Create(Func<Func<PlatformClient, Task>, int> guard)
    {
        var path = new Argument<string>("path") { Description = "a JSONL file (or one tokenizer .json, one .jinja chat template), a zip, or a folder whose *.jsonl files (and *.yaml suite headers with lm-eval's include-only *_yaml files, *.csv items of lm-eval tasks, *.json tokenizers with their tokenizer_config.json, *.jinja chat templates) are zipped and uploaded" };
        var uploadName = new Option<string>("--name") { Description = "the name specs use in data_ref", Required = true };
        var upload = new Command("upload", "register a data set (the server checks every line as the lab does; a refusal names file, line and field)") { path, uploadName };
        upload.SetAction(parse => guard(async client =>
        {
            var source = parse.GetValue(path)!;
            var name = Uri.EscapeDataString(parse.GetValue(uploadName)!);
            DatasetRecord dataset;
            if (Directory.Exists(source))
            {
                var zip = Path.Combine(Path.GetTempPath(), $"forgetlab-dataset-{Guid.NewGuid():N}.zip");
                try
                {
                    CheckSuites(source);
                    Zip(source, zip);
                    dataset = await client.PostFile<DatasetRecord>($"datasets?name={name}", zip, "application/zip");
                }
                finally
                {
                    File.Delete(zip);
                }
            }
            else if (File.Exists(source))
                dataset = source.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
                    ? await client.PostFile<DatasetRecord>($"datasets?name={name}", source, "application/zip")
                    : await client.PostFile<DatasetRecord>($"datasets?name={name}&file={Uri.EscapeDataString(Path.GetFileName(source))}", source, "application/x-ndjson");
            else throw new FileNotFoundException($"{source}: no such file or folder", source);
            Console.WriteLine($"registered {dataset.Name}: {Describe(dataset)}; {Usage(dataset)}");
        }));

        var list = new Command("list", "the tenant's data sets");
        list.SetAction(_ => guard(async client =>
        {
            var datasets = await client.Get<List<DatasetRecord>>("datasets");
            if (datasets.Count == 0) Console.WriteLine("no data sets registered (forgetlab datasets upload PATH --name N)");
            foreach (var d in datasets) Console.WriteLine($"{d.Name,-24} {Describe(d)}  {d.RegisteredAt:u}");
        }));

        var showName = new Argument<string>("name") { Description = "a data set of your tenant" };
        var show = new Command("show", "one data set: each file's shape, examples, bytes and SHA-256") { showName };
        show.SetAction(parse => guard(async client =>
        {
            var d = await client.Get<DatasetRecord>($"datasets/{Uri.EscapeDataString(parse.GetValue(showName)!)}");
            Console.WriteLine($"{d.Name}: registered {d.RegisteredAt:u}, stored at {d.BlobPrefix}");
            foreach (var f in d.Files) Console.WriteLine($"  {f.Name,-32} {f.Shape,-18} {f.Examples,10:N0} examples {f.Bytes,14:N0} bytes  sha256 {f.Sha256}");
        }));

        var deleteName = new Argument<string>("name") { Description = "a data set of your tenant" };
        var delete = new Command("delete", "delete a data set and its files (the name is never reused)") { deleteName };
        delete.SetAction(parse => guard(async client =>
        {
            var d = await client.Delete<DatasetRecord>($"datasets/{Uri.EscapeDataString(parse.GetValue(deleteName)!)}");
            Console.WriteLine($"deleted {d.Name} ({d.Files.Length} files)");
        }));

        return new Command("datasets", "your tenant's data sets: upload a JSONL file, a zip or a folder; list, show, delete") { upload, list, show, delete };
    }

    /// <summary>How a spec names the data set: its suite headers under <c>suites</c>, else its data files where a path goes.</summary>
    private static string Usage(DatasetRecord d)
    {
        var headers = d.Files.Where(f => f.Shape == DataShapes.SuiteHeader).ToList();
        if (headers.Count > 0)
            return $"name it under suites with {{ data_ref: {d.Name}{(headers.Count == 1 ? "" : ", file: " + headers[0].Name)} }}";
        var tokenizer = d.Files.FirstOrDefault(f => f.Shape == DataShapes.Tokenizer);
        if (tokenizer is not null)
            return $"name it as base.tokenizer: {{ kind: file, path: {{ data_ref: {d.Name}, file: {tokenizer.Name} }} }}";
        var template = d.Files.FirstOrDefault(f => f.Shape == DataShapes.ChatTemplate);
        if (template is not null && d.Files.All(f => f.Shape == DataShapes.ChatTemplate))
            return $"name it as target.chat_template: {{ data_ref: {d.Name}, file: {template.Name} }}";
        var data = d.Files.Where(f => f.Shape is not (DataShapes.SuiteItems or DataShapes.ChatTemplate)).ToList();
        return $"use it with {{ data_ref: {d.Name}{(data.Count == 1 ? "" : ", file: " + data[0].Name)} }}";
    }

    private static string Describe(DatasetRecord d) =>
        $"{d.Files.Length} file{(d.Files.Length == 1 ? "" : "s")} ({string.Join(", ", d.Files.Select(f => $"{f.Name}: {f.Shape}, {f.Examples:N0} examples"))})";

    /// <summary>The folder's files of the kinds a data set holds (<see cref="DataRef.IsFileName"/>) in a zip, at its root; other files are the server's to refuse, so none is added.</summary>
    private static void Zip(string directory, string zipPath)
    {
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        foreach (var file in Uploaded(directory))
            zip.CreateEntryFromFile(file, Path.GetFileName(file), CompressionLevel.Fastest);
    }

    private static IEnumerable<string> Uploaded(string directory) =>
        Directory.GetFiles(directory).Where(f => DataRef.IsFileName(Path.GetFileName(f))).Order(StringComparer.Ordinal);

    /// <summary>
    /// Reads each suite header of the folder with the lab's own reader (its items, kinds, templates), as a worker's job will,
    /// so a suite the job would refuse is refused here with the same file, line and field, and nothing is sent. An lm-eval
    /// include-only file (no task of its own, included by another header) is read through the tasks that include it.
    /// </summary>
    private static void CheckSuites(string directory)
    {
        var headers = Uploaded(directory).Where(f => DataRef.IsSuiteFile(f) || DataRef.IsIncludeOnlyFile(f)).ToList();
        var includeOnly = SuiteHeaderCheck.IncludeOnly(headers.ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal));
        foreach (var header in headers.Where(f => DataRef.IsSuiteFile(f) && !includeOnly.Contains(Path.GetFileName(f))))
            _ = SuiteReader.Read(header, confinedTo: Path.GetFullPath(directory));
    }
}
