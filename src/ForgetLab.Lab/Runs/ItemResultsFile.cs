using ForgetLab.Core.Analysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Suites;

namespace ForgetLab.Lab.Runs;

/// <summary>
/// One item's outcome as stored: suite, version, item id, value (1/0, nats/token or KL), the
/// model's answer and the item's prompt (so a report can say what was asked; absent in files
/// written before it was recorded, and for rolling-perplexity items, which have no prompt).
/// </summary>
public sealed record ItemResult(
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("response")] string? Response,
    [property: JsonPropertyName("prompt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Prompt = null);

/// <summary>Per-item results as JSON lines (<c>items.jsonl</c>), written beside the baseline and every checkpoint.</summary>
public static class ItemResultsFile
{
    public const string FileName = "items.jsonl";

    /// <param name="suites">The suites evaluated, for each item's prompt (matched by suite name and item id).</param>
    public static void Write(string directory, IEnumerable<SuiteEvaluation> evaluations, IEnumerable<SuiteDefinition> suites)
    {
        var prompts = suites
            .SelectMany(s => s.Items.Select(item => (Key: (s.Name, item.Id), item.Prompt)))
            .Where(p => p.Prompt.Length > 0)
            .DistinctBy(p => p.Key)
            .ToDictionary(p => p.Key, p => p.Prompt);
        Directory.CreateDirectory(directory);
        using var writer = new StreamWriter(Path.Combine(directory, FileName));
        foreach (var e in evaluations)
        for (var i = 0; i < e.Outcomes.ItemIds.Count; i++)
        {
            var id = e.Outcomes.ItemIds[i];
            writer.WriteLine(JsonSerializer.Serialize(new ItemResult(e.Outcomes.Suite, e.Outcomes.Version, id, e.Outcomes.Values[i], e.Responses[i],
                prompts.GetValueOrDefault((e.Outcomes.Suite, id)))));
        }
    }

    public static IReadOnlyList<ItemResult> Read(string directory) =>
        File.ReadLines(Path.Combine(directory, FileName))
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<ItemResult>(l) ?? throw new InvalidDataException($"{directory}/{FileName}: empty line"))
            .ToList();
}
