using System.Text.Json.Nodes;

namespace ForgetLab.Lab.Tests;

/// <summary>
/// Slices of the built-in world's real data, written to a temporary folder, so a base pre-trains in
/// seconds: the first countries with a capital no other country shares (every <paramref name="stride"/>-th
/// one), and the first elements.
/// </summary>
internal static class SmallWorlds
{
    public static string Write(int countries, int elements, int stride = 1)
    {
        var dir = TinyModels.TempDirectory();
        var data = Path.Combine(AppContext.BaseDirectory, "World", "Data");
        var picked = JsonNode.Parse(File.ReadAllText(Path.Combine(data, "countries.json")))!.AsArray()
            .Where(c => c!["capital"]!.GetValue<string>().Length > 0)
            .GroupBy(c => c!["capital"]!.GetValue<string>()).Where(g => g.Count() == 1).Select(g => g.First()!)
            .Where((_, i) => i % stride == 0).Take(countries).Select(c => c.DeepClone()).ToArray();
        File.WriteAllText(Path.Combine(dir, "countries.json"), new JsonArray(picked).ToJsonString());
        var firstElements = JsonNode.Parse(File.ReadAllText(Path.Combine(data, "elements.json")))!.AsArray().Take(elements).Select(e => e!.DeepClone()).ToArray();
        File.WriteAllText(Path.Combine(dir, "elements.json"), new JsonArray(firstElements).ToJsonString());
        return dir;
    }
}
