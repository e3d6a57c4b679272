using System.Text.Json;
using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Checkpoints;

/// <summary>Per-item results as JSON lines (<c>items.jsonl</c>), written beside the baseline and every checkpoint.</summary>
public static class ItemResultsFile
{
    public const string FileName = "items.jsonl";

    /// <param name="prompts">Each item's prompt by suite name and item id (items without one are written without it).</param>
    public static void Write(string directory, IEnumerable<SuiteEvaluation> evaluations, IReadOnlyDictionary<(string Suite, string Id), string> prompts)
    {
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
