using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ForgetLab.Lab.Suites;

/// <summary>Writes a suite as <c>{name}.yaml</c> plus <c>{name}.jsonl</c>, the format <see cref="SuiteReader"/> reads.</summary>
public static class SuiteWriter
{
    internal static readonly JsonSerializerOptions JsonLines = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Writes both files into <paramref name="directory"/> and returns the YAML file's path.</summary>
    public static string Write(SuiteDefinition suite, string directory)
    {
        Directory.CreateDirectory(directory);
        var itemsFile = suite.Name + ".jsonl";
        var header = new SuiteFile
        {
            Task = suite.Name,
            Version = suite.Version,
            Category = suite.Category,
            OutputType = suite.Kind,
            Metric = suite.Metric,
            HigherIsBetter = suite.HigherIsBetter,
            DatasetPath = itemsFile,
            Until = suite.Kind == SuiteKinds.GenerateUntil ? [.. suite.Until] : null,
        };
        var yaml = new SerializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
            .Build()
            .Serialize(header);
        var yamlPath = Path.Combine(directory, suite.Name + ".yaml");
        File.WriteAllText(yamlPath, yaml);

        using var writer = new StreamWriter(Path.Combine(directory, itemsFile)) { NewLine = "\n" };
        foreach (var item in suite.Items)
        {
            var line = new SuiteItemLine { Id = item.Id, Prompt = item.Prompt, Choices = [.. item.Choices], Gold = item.Gold, Target = item.Target };
            writer.WriteLine(JsonSerializer.Serialize(line, JsonLines));
        }

        return yamlPath;
    }
}
