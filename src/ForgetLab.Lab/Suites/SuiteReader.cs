using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ForgetLab.Lab.Suites;

/// <summary>
/// Reads a suite written by <see cref="SuiteWriter"/> or by a user: a YAML header and the JSONL
/// items it names (relative to the YAML file). Anything malformed is an
/// <see cref="InvalidDataException"/> naming the file, the line and the field.
/// </summary>
public static class SuiteReader
{
    public static SuiteDefinition Read(string yamlPath)
    {
        SuiteFile header;
        try
        {
            header = new DeserializerBuilder()
                .WithNamingConvention(UnderscoredNamingConvention.Instance)
                .Build()
                .Deserialize<SuiteFile>(File.ReadAllText(yamlPath)) ?? throw new InvalidDataException($"{yamlPath}: the file is empty.");
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{yamlPath} ({e.Start.Line}:{e.Start.Column}): {e.InnerException?.Message ?? e.Message}", e);
        }

        var name = Required(header.Task, yamlPath, "task");
        var kind = Required(header.OutputType, yamlPath, "output_type");
        if (!SuiteKinds.All.Contains(kind))
        {
            throw new InvalidDataException($"{yamlPath}: output_type '{kind}' is not one of {string.Join(", ", SuiteKinds.All)}.");
        }

        var category = Required(header.Category, yamlPath, "category");
        if (!SuiteCategories.All.Contains(category))
        {
            throw new InvalidDataException($"{yamlPath}: category '{category}' is not one of {string.Join(", ", SuiteCategories.All)}.");
        }

        if (header.HigherIsBetter is false && kind is SuiteKinds.MultipleChoice or SuiteKinds.GenerateUntil)
        {
            throw new InvalidDataException($"{yamlPath}: higher_is_better is false, but output_type '{kind}' scores 1 for a correct item, so higher is better.");
        }

        var itemsPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(yamlPath))!, Required(header.DatasetPath, yamlPath, "dataset_path"));
        var items = ReadItems(itemsPath, kind);
        var version = header.Version ?? $"0-{SuiteDefinition.ContentHash(items)}";
        return new SuiteDefinition(name, version, category, kind, header.Metric ?? SuiteKinds.DefaultMetric(kind), items)
        {
            Until = header.Until is { Count: > 0 } until ? until : ["."],
            HigherIsBetter = header.HigherIsBetter,
        };
    }

    private static List<SuiteItem> ReadItems(string path, string kind)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"The items file {path} does not exist (dataset_path).");
        }

        var items = new List<SuiteItem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
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
                throw new InvalidDataException($"{where}: {e.Message}", e);
            }

            var id = Required(line.Id, where, "id");
            if (!ids.Add(id))
            {
                throw new InvalidDataException($"{where}: id '{id}' appears twice.");
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
