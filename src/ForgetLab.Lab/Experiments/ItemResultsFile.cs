using System.Text.Json;
using System.Text.Json.Serialization;
using ForgetLab.Lab.Evaluation;

namespace ForgetLab.Lab.Experiments;

/// <summary>One item's outcome as stored: suite, version, item id, value (1/0, nats/token or KL) and the model's answer.</summary>
public sealed record ItemResult(
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("response")] string? Response);

/// <summary>Per-item results as JSON lines (<c>items.jsonl</c>), written beside the baseline and every checkpoint.</summary>
public static class ItemResultsFile
{
    public const string FileName = "items.jsonl";

    public static void Write(string directory, IEnumerable<SuiteEvaluation> evaluations)
    {
        Directory.CreateDirectory(directory);
        using var writer = new StreamWriter(Path.Combine(directory, FileName));
        foreach (var e in evaluations)
        for (var i = 0; i < e.Outcomes.ItemIds.Count; i++)
            writer.WriteLine(JsonSerializer.Serialize(new ItemResult(e.Outcomes.Suite, e.Outcomes.Version, e.Outcomes.ItemIds[i], e.Outcomes.Values[i], e.Responses[i])));
    }

    public static IReadOnlyList<ItemResult> Read(string directory) =>
        File.ReadLines(Path.Combine(directory, FileName))
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<ItemResult>(l) ?? throw new InvalidDataException($"{directory}/{FileName}: empty line"))
            .ToList();
}
