using System.Text;
using ForgetLab.Core.Specs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ForgetLab.Core.Data;

/// <summary>
/// Checks a suite header uploaded in a data set (a ForgetLab suite YAML or an lm-evaluation-harness task YAML) as far as the
/// platform can without the lab's suite reader: one bounded YAML mapping, a <c>task</c>, and the items files it names
/// (a ForgetLab suite's <c>dataset_path</c>, a JSONL file; an lm-eval task's <c>dataset_kwargs.data_files</c>, JSONL files for
/// <c>dataset_path: json</c>, CSV files for <c>csv</c>) as plain names the data set must hold beside it. The lab's reader
/// holds the rest (kinds, fields, templates) when a worker's job reads the suite, and <c>forgetlab datasets upload</c> runs
/// that reader before it sends anything.
/// </summary>
public static class SuiteHeaderCheck
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The items files the header names, or the first problem as a <see cref="DataFileException"/> at its line and field.</summary>
    public static IReadOnlyList<string> ItemsFiles(byte[] bytes, string name)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new DataFileException(name, 0, "", "not valid UTF-8");
        }
        var errors = new SpecErrorList(name);
        if (BoundedYamlEvents.Read(text, errors) is not { } events) throw Refused(name, errors.Sorted()[0]);
        var stream = new YamlStream();
        try
        {
            stream.Load(new ReplayedEvents(events));
        }
        catch (Exception e) when (e is YamlException or ArgumentException)
        {
            throw new DataFileException(name, e is YamlException y ? (int)y.Start.Line : 0, "", "malformed YAML: not a suite header");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new DataFileException(name, 1, "", "a suite header is one YAML mapping (task, output_type, dataset_path, …)");
        var fields = root.Children.Where(c => c.Key is YamlScalarNode).ToDictionary(c => ((YamlScalarNode)c.Key).Value ?? "", c => c.Value, StringComparer.Ordinal);
        if (!fields.TryGetValue("task", out var task) || task is not YamlScalarNode { Value.Length: > 0 })
            throw new DataFileException(name, Line(root), "task", "required field is missing (a suite header names its task)");

        if (fields.TryGetValue("dataset_kwargs", out var kwargs))
        {
            // lm-eval: dataset_path json (JSONL files) or csv (CSV files), data_files { split: FILE | [FILE] } | FILE | [FILE]
            var format = fields.TryGetValue("dataset_path", out var path) && path is YamlScalarNode { Value: "json" or "csv" } p ? p.Value : null;
            if (format is null)
                throw new DataFileException(name, Line(path ?? root), "dataset_path",
                    "a data set holds JSONL and CSV files: an lm-eval task in it reads them with dataset_path: json or csv");
            var files = kwargs is YamlMappingNode k && k.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "data_files" }).Value is { } dataFiles
                ? Scalars(dataFiles).ToList()
                : throw new DataFileException(name, Line(kwargs), "dataset_kwargs.data_files", $"required field is missing (the {(format == "csv" ? "CSV" : "JSONL")} files of the task's splits)");
            return Named(files, name, "dataset_kwargs.data_files", csv: format == "csv");
        }
        if (!fields.TryGetValue("dataset_path", out var items) || items is not YamlScalarNode { Value.Length: > 0 } scalar)
            throw new DataFileException(name, Line(root), "dataset_path", "required field is missing (the suite's items file beside it)");
        return Named([scalar], name, "dataset_path", csv: false);
    }

    private static IReadOnlyList<string> Named(IReadOnlyList<YamlNode> values, string name, string field, bool csv)
    {
        if (values.Count == 0) throw new DataFileException(name, 0, field, "names no items file");
        foreach (var value in values)
        {
            if (value is not YamlScalarNode { Value: { } file } || !DataRef.IsFileName(file) || !(csv ? DataRef.IsCsvFile(file) : DataRef.IsDataFile(file)))
                throw new DataFileException(name, Line(value), field,
                    $"must name {(csv ? ".csv" : ".jsonl")} files beside the header in the data set (a plain name: letters, digits, '.', '_', '-'; no folder)");
        }
        return [.. values.Select(v => ((YamlScalarNode)v).Value!).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The scalars of a value that is a scalar, a list of scalars, or a mapping of either (lm-eval's data_files); anything else is returned as is to be refused.</summary>
    private static IEnumerable<YamlNode> Scalars(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.Values.SelectMany(v => v is YamlSequenceNode s ? s.Children : [v]),
        YamlSequenceNode s => s.Children,
        _ => [node],
    };

    private static int Line(YamlNode node) => (int)node.Start.Line;

    private static DataFileException Refused(string name, SpecError error) => new(name, error.Line, "", error.Message);
}
