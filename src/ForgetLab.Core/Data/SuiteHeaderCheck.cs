using System.Text;
using ForgetLab.Core.Specs;
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

    /// <summary>
    /// The items files the header names, or the first problem as a <see cref="DataFileException"/> at its file, line and
    /// field. An lm-eval task's <c>include:</c> files are <c>.yaml</c> files of the same upload, given by
    /// <paramref name="held"/> (null: the upload holds no such file), merged as the lab's reader merges them, each read once,
    /// at most <see cref="YamlIncludes.MaxFiles"/> in one task, no cycles.
    /// </summary>
    public static IReadOnlyList<string> ItemsFiles(byte[] bytes, string name, Func<string, byte[]?>? held = null)
    {
        Dictionary<string, (YamlNode Node, string File)> fields;
        YamlMappingNode root;
        try
        {
            root = Mapping(bytes, name);
            fields = YamlIncludes.Merge(name,
                file => Own(file == name ? root : Mapping(held?.Invoke(file) ?? throw new InvalidOperationException(), file), file, held),
                Merged, file => file);
        }
        catch (YamlInputException e)
        {
            var (field, reason) = e.Reason.StartsWith("include: ", StringComparison.Ordinal) ? ("include", e.Reason["include: ".Length..]) : ("", e.Reason);
            throw new DataFileException(e.File, e.Line, field, reason);
        }
        if (!fields.TryGetValue("task", out var task) || task.Node is not YamlScalarNode { Value.Length: > 0 })
            throw new DataFileException(name, Line(root), "task", "required field is missing (a suite header names its task)");

        if (fields.TryGetValue("dataset_kwargs", out var kwargs))
        {
            // lm-eval: dataset_path json (JSONL files) or csv (CSV files), data_files { split: FILE | [FILE] } | FILE | [FILE]
            var found = fields.TryGetValue("dataset_path", out var path);
            var format = found && path.Node is YamlScalarNode { Value: "json" or "csv" } p ? p.Value : null;
            if (format is null)
                throw new DataFileException(found ? path.File : name, Line(found ? path.Node : root), "dataset_path",
                    "a data set holds JSONL and CSV files: an lm-eval task in it reads them with dataset_path: json or csv");
            var files = kwargs.Node is YamlMappingNode k && k.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "data_files" }).Value is { } dataFiles
                ? Scalars(dataFiles).ToList()
                : throw new DataFileException(kwargs.File, Line(kwargs.Node), "dataset_kwargs.data_files", $"required field is missing (the {(format == "csv" ? "CSV" : "JSONL")} files of the task's splits)");
            return Named(files, kwargs.File, "dataset_kwargs.data_files", csv: format == "csv");
        }
        if (!fields.TryGetValue("dataset_path", out var items) || items.Node is not YamlScalarNode { Value.Length: > 0 } scalar)
            throw new DataFileException(name, Line(root), "dataset_path", "required field is missing (the suite's items file beside it)");
        return Named([scalar], items.File, "dataset_path", csv: false);
    }

    /// <summary>
    /// The headers of an upload (name → bytes) that are lm-eval include-only files: included by another header of the same
    /// upload, and either named <c>…_yaml</c> (lm-eval never collects such a file as a task) or without a <c>task</c> once its
    /// own includes are merged. lm-eval reads such a file only through the tasks that include it, their own keys over its
    /// keys, so it is checked through them (<see cref="ItemsFiles"/> of each includer) and not as a task of its own. A header
    /// with a problem other than a missing task is not one: checked as a task, it is refused naming that problem.
    /// </summary>
    public static IReadOnlySet<string> IncludeOnly(IReadOnlyDictionary<string, byte[]> headers)
    {
        var included = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, bytes) in headers)
            included.UnionWith(IncludedNames(bytes, name).Where(n => n != name));
        var fragments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in included.Where(headers.ContainsKey))
        {
            if (DataRef.IsIncludeOnlyFile(name)) fragments.Add(name);
            else
            {
                try
                {
                    _ = ItemsFiles(headers[name], name, headers.GetValueOrDefault);
                }
                catch (DataFileException e) when (e.File == name && e.Field == "task")
                {
                    fragments.Add(name);
                }
                catch (DataFileException)
                {
                    // Another problem: the file is checked as a task and refused with it.
                }
            }
        }
        return fragments;
    }

    /// <summary>The names a header's top-level <c>include</c> lists, as written; none when it cannot be read (its check says why).</summary>
    private static IEnumerable<string> IncludedNames(byte[] bytes, string name)
    {
        YamlMappingNode root;
        try
        {
            root = Mapping(bytes, name);
        }
        catch (Exception e) when (e is DataFileException or YamlInputException)
        {
            return [];
        }
        var include = root.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "include" }).Value;
        return include switch
        {
            YamlScalarNode { Value: { } one } => [one],
            YamlSequenceNode many => many.Children.OfType<YamlScalarNode>().Select(n => n.Value).OfType<string>(),
            _ => [],
        };
    }

    /// <summary>One file's bounded YAML (<see cref="BoundedYaml"/>), which must be one mapping.</summary>
    private static YamlMappingNode Mapping(byte[] bytes, string name)
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
        var stream = BoundedYaml.Load(text, name);
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new DataFileException(name, 1, "", "a suite header is one YAML mapping (task, output_type, dataset_path, …)");
        return root;
    }

    /// <summary>A file's own keys (less <c>include</c>) and the files it includes, each a .yaml file the upload holds.</summary>
    private static (Dictionary<string, (YamlNode, string)> Own, int IncludeLine, IReadOnlyList<string> Includes) Own(YamlMappingNode root, string file, Func<string, byte[]?>? held)
    {
        var own = new Dictionary<string, (YamlNode, string)>(StringComparer.Ordinal);
        foreach (var (key, value) in root.Children)
            if (key is YamlScalarNode { Value: { } k }) own[k] = (value, file);
        if (!own.Remove("include", out var include)) return (own, 0, []);
        var (node, _) = include;
        var names = node switch
        {
            YamlScalarNode one => [one],
            YamlSequenceNode many => many.Children,
            _ => [node],
        };
        var includes = new List<string>();
        foreach (var entry in names)
        {
            if (entry is not YamlScalarNode { Value: { } included } || !DataRef.IsFileName(included) || !(DataRef.IsSuiteFile(included) || DataRef.IsIncludeOnlyFile(included)))
                throw new DataFileException(file, Line(entry), "include", "must name .yaml (or lm-eval's include-only _yaml) files beside the header in the data set (a plain name: letters, digits, '.', '_', '-'; no folder)");
            if (held?.Invoke(included) is null)
                throw new DataFileException(file, Line(entry), "include", $"names '{included}', which the upload does not hold: put it beside the header");
            includes.Add(included);
        }
        return (own, Line(node), includes);
    }

    // As the lab's reader (lm-eval): the file's own keys win, then the first include.
    private static Dictionary<string, (YamlNode, string)> Merged(Dictionary<string, (YamlNode, string)> own, IReadOnlyList<Dictionary<string, (YamlNode, string)>> includes)
    {
        if (includes.Count == 0) return own;
        var merged = new Dictionary<string, (YamlNode, string)>(StringComparer.Ordinal);
        foreach (var included in Enumerable.Reverse(includes))
            foreach (var (k, v) in included) merged[k] = v;
        foreach (var (k, v) in own) merged[k] = v;
        return merged;
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

}
