using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ForgetLab.Server.Tests;

/// <summary>
/// A bad submission is a 400 ProblemDetails whose errors name the field path and the line, and it
/// stores nothing: the tenant's list stays empty and the experiment does not exist.
/// </summary>
public sealed class BadSpecTests(PlatformFixture platform)
{
    private const string Name = "broken";

    /// <summary>find → replace in the valid spec, the field path the error must name, and its line (0: the line of the replacement).</summary>
    public static TheoryData<string, string, string, int> BadSpecs => new()
    {
        // Unknown fields.
        { "  warmup_steps: 5", "  warmup_stepz: 5", "train.warmup_stepz", 0 },
        { "seed: 1\n", "colour: 1\n", "colour", 0 },
        { "{ type: full }", "{ type: full, rank: 4 }", "grid.method[0].rank", 0 },
        // Wrong types.
        { "  lr: 1.0e-4", "  lr: abc", "train.lr", 0 },
        { "  steps: 50", "  steps: 2.5", "train.steps", 0 },
        { "seed: [1]", "seed: 1", "grid.seed", 22 },
        { "  count: 10", "  count:", "target.count", 0 },
        // Out of range.
        { "rank: 8", "rank: 0", "grid.method[1].rank", 0 },
        { "  lr: 1.0e-4", "  lr: 0", "train.lr", 0 },
        { "dropout: 0.0", "dropout: 1", "base.model.dropout", 0 },
        { "n_ctx: 64", "n_ctx: 4", "base.model.n_ctx", 0 },
        { "n_head: 2", "n_head: 3", "base.model.n_embd", 0 },
        { "  checkpoint_every: 25", "  checkpoint_every: 0", "train.checkpoint_every", 0 },
        { "seed: 1\n", "seed: -1\n", "seed", 0 },
        { "  warmup_steps: 5", "  warmup_steps: 500", "train.warmup_steps", 0 },
        { "seed: [1]", $"seed: [{string.Join(", ", Enumerable.Range(0, 600))}]", "grid", 18 },
        // Unknown values.
        { "task: conflicting_facts", "task: conflicting", "target.task", 0 },
        { "schedule: cosine", "schedule: cosin", "train.schedule", 0 },
        { "{ type: full }", "{ type: qlora }", "grid.method[0].type", 0 },
        { "world: builtin", "world: mars", "base.world", 0 },
        // Suites.
        { "[target, capitals_recall]", "[target, suites/missing.yaml]", "suites[1]", 0 },
        { "[target, capitals_recall]", "[target, capitals_recal]", "suites[1]", 0 },
        { "[target, capitals_recall]", "[target, capitals_recall, target]", "suites[2]", 0 },
        { "suites: [target, capitals_recall]", "suites: []", "suites", 0 },
        // Missing fields and names.
        { "  task: conflicting_facts\n", "", "target.task", 8 },
        { $"name: {Name}", "name: My Lab", "name", 1 },
        // Malformed YAML: the whole document.
        { "  count: 10", "  count: [10", "(document)", 9 },
        { "  count: 10", "  count: 10: 11", "(document)", 9 },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public async Task ABadSpecIsA400NamingItsFieldAndLineAndStoresNothing(string find, string replace, string path, int line)
    {
        var (_, key) = await platform.NewTenant("bad");
        using var client = platform.Server.Client(key);
        var valid = Specs.Valid(Name);
        Assert.Contains(find, valid);
        var spec = valid.Replace(find, replace);
        var expectedLine = line > 0 ? line : Specs.LineOf(spec, replace.TrimEnd('\n'));

        using var response = await client.SubmitYaml(spec);

        await AssertNamesField(response, path, expectedLine);
        await AssertNothingStored(client);
    }

    [Fact]
    public async Task AnEmptyBodyIsA400()
    {
        var (_, key) = await platform.NewTenant("bad");
        using var client = platform.Server.Client(key);

        using var response = await client.SubmitYaml("  \n");

        await AssertNamesField(response, "(document)", 0);
        await AssertNothingStored(client);
    }

    [Fact]
    public async Task ASecondYamlDocumentIsA400()
    {
        var (_, key) = await platform.NewTenant("bad");
        using var client = platform.Server.Client(key);
        var spec = Specs.Valid(Name) + "---\nname: other\n";

        using var response = await client.SubmitYaml(spec);

        await AssertNamesField(response, "(document)", Specs.LineOf(spec, "name: other"));
        await AssertNothingStored(client);
    }

    [Theory]
    [InlineData("""{"spec": "name: [unclosed"}""", "(document)")]
    [InlineData("""{"priority": 1}""", "spec")]
    [InlineData("""{"spec": 42}""", "spec")]
    [InlineData("""{"spec": "x", "colour": 1}""", "colour")]
    [InlineData("""{"spec": """, "spec")]
    public async Task ABadJsonBodyIsA400NamingTheField(string json, string path)
    {
        var (_, key) = await platform.NewTenant("bad");
        using var client = platform.Server.Client(key);

        using var response = await client.Post("api/v1/experiments", new StringContent(json, Encoding.UTF8, "application/json"));

        await AssertNamesField(response, path, -1);
        await AssertNothingStored(client);
    }

    [Theory]
    [InlineData("deviceKind", "\"tpu\"")]
    [InlineData("devicesPerRun", "0")]
    public async Task BadDeviceSettingsAreA400NamingTheField(string field, string value)
    {
        var (_, key) = await platform.NewTenant("bad");
        using var client = platform.Server.Client(key);
        var json = $$"""{"spec": {{System.Text.Json.JsonSerializer.Serialize(Specs.Valid(Name))}}, "{{field}}": {{value}}}""";

        using var response = await client.Post("api/v1/experiments", new StringContent(json, Encoding.UTF8, "application/json"));

        await AssertNamesField(response, field, 0);
        await AssertNothingStored(client);
    }

    [Fact]
    public async Task AnUnsupportedMediaTypeIsA415()
    {
        var (_, key) = await platform.NewTenant("bad");
        using var client = platform.Server.Client(key);

        var (status, body) = await client.Post("api/v1/experiments", new ByteArrayContent([1, 2, 3]) { Headers = { { "Content-Type", "application/octet-stream" } } }).Json();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("text/yaml", (string)body!["detail"]!);
        await AssertNothingStored(client);
    }

    /// <summary>400 ProblemDetails with <paramref name="path"/> in <c>errors</c> and in <c>fieldErrors</c> with the line (−1: any).</summary>
    private static async Task AssertNamesField(HttpResponseMessage response, string path, int line)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!;
        Assert.True(body["errors"]![path] is not null, $"errors should name '{path}': {text}");
        var fieldErrors = body["fieldErrors"]!.AsArray();
        Assert.True(fieldErrors.Any(e => (string)e!["path"]! == path && (line < 0 || (int)e["line"]! == line)), $"fieldErrors should name '{path}' at line {line}: {text}");
        if (line > 0) Assert.StartsWith($"line {line}: ", (string)body["errors"]![path]![0]!);
    }

    private static async Task AssertNothingStored(HttpClient client)
    {
        var list = await client.Get("api/v1/experiments").Json();
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Empty(list.Body!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"api/v1/experiments/{Name}").Json()).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"api/v1/experiments/{Name}/runs").Json()).Status);
    }
}
