using System.Text.Json;
using ForgetLab.Core.ChatTemplates;

namespace ForgetLab.Core.Tests.ChatTemplates;

/// <summary>
/// Each construct of the subset (loops and <c>loop.*</c>, namespaces, whitespace control, filters, tests, slices,
/// literals…) renders as the reference renderer rendered it: Snippets/snippets.expected.json was written by
/// tests/reference/jinja/render.mjs from Snippets/snippets.json.
/// </summary>
public class SnippetTests
{
    private static readonly string Folder = Path.Combine(ReferencePaths.Fixtures, "..", "Snippets");

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var s in Load().EnumerateArray()) data.Add(s.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TheSnippetRendersAsTheReferenceRendererRendersIt(string name)
    {
        var snippet = Load().EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "snippets.expected.json"))).RootElement.GetProperty(name).GetString();
        var variables = snippet.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => ToValue(p.Value));

        var rendered = ChatTemplate.Parse(snippet.GetProperty("template").GetString()!).Render(variables);

        Assert.Equal(expected, rendered);
    }

    private static JsonElement Load() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "snippets.json"))).RootElement;

    internal static object? ToValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Aggregate(new OrderedDictionary<string, object?>(StringComparer.Ordinal), (d, p) =>
        {
            d[p.Name] = ToValue(p.Value);
            return d;
        }),
        JsonValueKind.Array => e.EnumerateArray().Select(ToValue).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var n) ? n : (object)e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
