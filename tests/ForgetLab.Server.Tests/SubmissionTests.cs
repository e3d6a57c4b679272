using System.Net;
using System.Text;
using System.Text.Json;

namespace ForgetLab.Server.Tests;

/// <summary>The path a team takes: the platform admin creates its tenant and key, it submits a spec, its runs are queued.</summary>
public sealed class SubmissionTests(PlatformFixture platform)
{
    [Fact]
    public async Task TheQuickstartSpecIsAcceptedAndItsRunsAreListedAsQueued()
    {
        var (_, key) = await platform.NewTenant("quick");
        using var client = platform.Server.Client(key);
        var yaml = File.ReadAllText(RepoPaths.File("examples", "quickstart.yaml"));

        using var submitted = await client.SubmitYaml(yaml);
        var runs = await client.Get("api/v1/experiments/quickstart/runs").Json();
        var listed = await client.Get("api/v1/experiments").Json();

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal("/api/v1/experiments/quickstart", submitted.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, runs.Status);
        var states = runs.Body!.AsArray().Select(r => (string)r!["state"]!).ToArray();
        Assert.Equal(3, states.Length);
        Assert.All(states, s => Assert.Equal("Queued", s));
        Assert.Equal("quickstart", (string)listed.Body!.AsArray().Single()!["experimentId"]!);
    }

    [Fact]
    public async Task ASpecCanBeSentAsJsonAndReadBackWithItsRuns()
    {
        var (tenant, key) = await platform.NewTenant("json");
        using var client = platform.Server.Client(key);
        var body = JsonSerializer.Serialize(new { spec = Specs.Valid("as-json"), priority = 5, deviceKind = "cpu" });

        var submitted = await client.Post("api/v1/experiments", new StringContent(body, Encoding.UTF8, "application/json")).Json();
        var experiment = await client.Get("api/v1/experiments/as-json").Json();
        var run = await client.Get($"api/v1/experiments/as-json/runs/{Specs.RunNames[1]}").Json();

        Assert.Equal(HttpStatusCode.Created, submitted.Status);
        Assert.Equal(HttpStatusCode.OK, experiment.Status);
        Assert.Equal(tenant, (string)experiment.Body!["tenantId"]!);
        Assert.Equal(Specs.RunNames, experiment.Body["runIds"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(HttpStatusCode.OK, run.Status);
        Assert.Equal("Queued", (string)run.Body!["state"]!);
        Assert.StartsWith("lora", (string)run.Body["recipe"]!["method"]!);
    }

    [Fact]
    public async Task SubmittingTheSameSpecAgainIsOkAndAChangedSpecUnderTheSameNameConflicts()
    {
        var (_, key) = await platform.NewTenant("again");
        using var client = platform.Server.Client(key);
        await client.SubmitYaml(Specs.Valid("twice"));

        var same = await client.SubmitYaml(Specs.Valid("twice")).Json();
        var changed = await client.SubmitYaml(Specs.Valid("twice").Replace("count: 10", "count: 12")).Json();

        Assert.Equal(HttpStatusCode.OK, same.Status);
        Assert.Equal(HttpStatusCode.Conflict, changed.Status);
        Assert.Contains("another spec", (string)changed.Body!["detail"]!);
    }

    [Fact]
    public async Task CancellingAndPublishingChangeTheExperimentAndItsRuns()
    {
        var (_, key) = await platform.NewTenant("cancel");
        using var client = platform.Server.Client(key);
        await client.SubmitYaml(Specs.Valid("to-cancel"));

        var runCancelled = await client.Post($"api/v1/experiments/to-cancel/runs/{Specs.RunNames[0]}/cancel",
            new StringContent("""{"reason":"wrong lr"}""", Encoding.UTF8, "application/json")).Json();
        var published = await client.Post("api/v1/experiments/to-cancel/publish").Json();
        var cancelled = await client.Post("api/v1/experiments/to-cancel/cancel").Json();
        var runs = await client.Get("api/v1/experiments/to-cancel/runs").Json();

        Assert.Equal(HttpStatusCode.OK, runCancelled.Status);
        Assert.Contains(runCancelled.Body!["transitions"]!.AsArray(), t => ((string?)t!["reason"])?.Contains("wrong lr") == true);
        Assert.True((bool)published.Body!["published"]!);
        Assert.True((bool)cancelled.Body!["cancelled"]!);
        Assert.All(runs.Body!.AsArray(), r => Assert.Equal("Cancelled", (string)r!["state"]!));
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheApi()
    {
        using var client = platform.Server.Client();

        var (status, body) = await client.Get("openapi/v1.json").Text();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("/api/v1/experiments/{experimentId}/runs/{runId}", body);
        Assert.Contains("/api/v1/tenants/{tenantId}/keys", body);
        var scheme = System.Text.Json.Nodes.JsonNode.Parse(body)!["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("bearer", (string)scheme["scheme"]!);
    }
}
