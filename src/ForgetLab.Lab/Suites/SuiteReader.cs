using System.Text.Json;
using ForgetLab.Core.Specs;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ForgetLab.Lab.Suites;

/// <summary>
/// Reads a suite written by <see cref="SuiteWriter"/> or by a user: a YAML header and the JSONL
/// items it names (relative to the YAML file). Anything malformed is an
/// <see cref="InvalidDataException"/> naming the file, the line and the field, and never quoting the
/// file's content: on the platform such a message goes back to a tenant, and the file may not be
/// one the tenant wrote.
/// </summary>
public static class SuiteReader
{
    private static readonly string[] HeaderFields = ["task", "version", "category", "output_type", "metric", "dataset_path", "until"];

    /// <param name="yamlPath">The suite's YAML file.</param>
    /// <param name="confinedTo">On the platform, the operator's spec directory: the items file must be inside it too.</param>
    public static SuiteDefinition Read(string yamlPath, string? confinedTo = null)
    {
        YamlDotNet.RepresentationModel.YamlStream bounded;
        try
        {
            // One bounded read decides the kind; a file over a limit (deep nesting, an alias bomb, a huge value) stops here.
            bounded = BoundedYaml.LoadFile(yamlPath);
        }
        catch (YamlInputException e)
        {
            throw new InvalidDataException($"{yamlPath} (line {e.Line}): {e.Reason}.", e);
        }
        if (IsLmEvalTask(bounded)) return LmEval.LmEvalTaskReader.Read(yamlPath, confinedTo).ToSuite();
        SuiteFile header;
        try
        {
            header = new DeserializerBuilder()
                .WithNamingConvention(UnderscoredNamingConvention.Instance)
                .Build()
                .Deserialize<SuiteFile>(BoundedYaml.Events(BoundedYaml.ReadFile(yamlPath), yamlPath)) ?? throw new InvalidDataException($"{yamlPath}: the file is empty.");
        }
        catch (YamlInputException e)
        {
            // Over a limit of SpecLimits (deep nesting, an alias bomb, a huge value), or malformed: refused before any tree is built.
            throw new InvalidDataException($"{yamlPath} (line {e.Line}): not a suite header: {e.Reason}.", e);
        }
        catch (YamlException e)
        {
            // YamlDotNet's own messages quote the offending key ("Property '…' not found"): say where, not what.
            var what = e.InnerException is null && e.Message.Contains("not found on type", StringComparison.Ordinal)
                ? $"an unknown field (a suite header has {string.Join(", ", HeaderFields)})"
                : "not a suite header: malformed YAML, or a field of the wrong type";
            throw new InvalidDataException($"{yamlPath} (line {e.Start.Line}, column {e.Start.Column}): {what}.", e);
        }

        var name = Required(header.Task, yamlPath, "task");
        var kind = Required(header.OutputType, yamlPath, "output_type");
        if (!SuiteKinds.All.Contains(kind))
        {
            throw new InvalidDataException($"{yamlPath}: output_type is not one of {string.Join(", ", SuiteKinds.All)}.");
        }

        var category = Required(header.Category, yamlPath, "category");
        if (!SuiteCategories.All.Contains(category))
        {
            throw new InvalidDataException($"{yamlPath}: category is not one of {string.Join(", ", SuiteCategories.All)}.");
        }

        if (header.HigherIsBetter is false && kind is SuiteKinds.MultipleChoice or SuiteKinds.GenerateUntil)
        {
            throw new InvalidDataException($"{yamlPath}: higher_is_better is false, but output_type '{kind}' scores 1 for a correct item, so higher is better.");
        }

        var datasetPath = Required(header.DatasetPath, yamlPath, "dataset_path");
        var folder = Path.GetDirectoryName(Path.GetFullPath(yamlPath))!;
        var files = confinedTo is null ? SpecFiles.Local(folder) : SpecFiles.ConfinedTo(confinedTo);
        var (itemsPath, refused) = files.File(datasetPath, relativeTo: folder, what: "items file");
        if (itemsPath is null) throw new InvalidDataException($"{yamlPath}: dataset_path: {refused}.");
        var items = ReadItems(itemsPath, kind);
        var version = header.Version ?? $"0-{SuiteDefinition.ContentHash(items)}";
        return new SuiteDefinition(name, version, category, kind, header.Metric ?? SuiteKinds.DefaultMetric(kind), items)
        {
            Until = header.Until is { Count: > 0 } until ? until : ["."],
            HigherIsBetter = header.HigherIsBetter,
        };
    }

    /// <summary>
    /// An lm-evaluation-harness task file rather than a ForgetLab suite header: it has no <c>category</c> and at
    /// least one key only lm-eval's format has (<c>doc_to_text</c>, <c>dataset_kwargs</c>, <c>test_split</c>, …).
    /// </summary>
    public static bool IsLmEvalTask(string yamlPath)
    {
        try
        {
            return IsLmEvalTask(BoundedYaml.LoadFile(yamlPath));
        }
        catch (YamlInputException)
        {
            return false; // the suite reader reports where the YAML is malformed or over a limit
        }
    }

    private static bool IsLmEvalTask(YamlDotNet.RepresentationModel.YamlStream stream)
    {
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlDotNet.RepresentationModel.YamlMappingNode root) return false;
        var keys = root.Children.Keys.OfType<YamlDotNet.RepresentationModel.YamlScalarNode>().Select(k => k.Value).ToHashSet(StringComparer.Ordinal);
        return !keys.Contains("category") && keys.Any(k => k is not null && LmEval.LmEvalTaskReader.Markers.Contains(k));
    }

    private static List<SuiteItem> ReadItems(string path, string kind)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"The items file {path} does not exist (dataset_path).");
        }

        var items = new List<SuiteItem>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var where = $"{path}:{number}";
            SuiteItemLine line;
            try
            {
                line = JsonSerializer.Deserialize<SuiteItemLine>(text, SuiteWriter.JsonLines) ?? throw new InvalidDataException($"{where}: null item.");
            }
            catch (JsonException e)
            {
                // System.Text.Json's messages can quote the text they choke on: name the field only.
                throw new InvalidDataException($"{where}: not a suite item (a JSON object of id, prompt, choices, gold, target){(e.Path is "$.id" or "$.prompt" or "$.choices" or "$.gold" or "$.target" ? $"; the problem is at {e.Path[2..]}" : "")}.", e);
            }

            var id = Required(line.Id, where, "id");
            if (!ids.TryAdd(id, number))
            {
                throw new InvalidDataException($"{where}: the id is the same as line {ids[id]}'s.");
            }

            var choices = line.Choices ?? [];
            var gold = line.Gold ?? -1;
            if (kind == SuiteKinds.MultipleChoice && (choices.Count < 2 || gold < 0 || gold >= choices.Count))
            {
                throw new InvalidDataException($"{where}: a multiple_choice item needs at least two choices and a gold index inside them.");
            }

            var target = line.Target ?? (kind == SuiteKinds.MultipleChoice ? choices[gold] : "");
            if (kind is SuiteKinds.GenerateUntil or SuiteKinds.LoglikelihoodRolling && target.Length == 0)
            {
                throw new InvalidDataException($"{where}: a {kind} item needs a non-empty target.");
            }

            items.Add(new SuiteItem(id, line.Prompt ?? "", choices, gold, target));
        }

        return items.Count > 0 ? items : throw new InvalidDataException($"{path} holds no items.");
    }

    private static string Required(string? value, string where, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidDataException($"{where}: '{field}' is missing.") : value;
}
