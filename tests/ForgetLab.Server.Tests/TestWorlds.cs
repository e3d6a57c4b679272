using System.Text.Json.Nodes;

namespace ForgetLab.Server.Tests;

/// <summary>Small slices of the built-in world's real data, so tests that train do so in seconds.</summary>
internal static class TestWorlds
{
    /// <summary>A world folder of 24 countries (unique capitals) and 6 elements; a worker reads it with --world-data.</summary>
    public static string Small()
    {
        var dir = Directory.CreateTempSubdirectory("forgetlab-world-").FullName;
        var data = RepoPaths.File("src", "ForgetLab.Lab", "World", "Data");
        var countries = JsonNode.Parse(File.ReadAllText(Path.Combine(data, "countries.json")))!.AsArray()
            .Where(c => c!["capital"]!.GetValue<string>().Length > 0)
            .GroupBy(c => c!["capital"]!.GetValue<string>()).Where(g => g.Count() == 1).Select(g => g.First()!)
            .Take(24).Select(c => c.DeepClone()).ToArray();
        File.WriteAllText(Path.Combine(dir, "countries.json"), new JsonArray(countries).ToJsonString());
        var elements = JsonNode.Parse(File.ReadAllText(Path.Combine(data, "elements.json")))!.AsArray().Take(6).Select(e => e!.DeepClone()).ToArray();
        File.WriteAllText(Path.Combine(dir, "elements.json"), new JsonArray(elements).ToJsonString());
        return dir;
    }
}
