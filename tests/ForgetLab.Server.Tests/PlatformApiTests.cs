using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Checkpoints, compare and the board over HTTP. Run reports and items.jsonl are written straight
/// into Azurite in the workers' layout (no training); checkpoints reach the run grain through the
/// worker's own reports, sent by the test as a worker would.
/// </summary>
public sealed class PlatformApiTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly string Full = Specs.RunNames[0];
    private static readonly string Lora = Specs.RunNames[1];

    private BlobContainerClient Container()
    {
        var container = new BlobServiceClient(platform.Azurite.ConnectionString).GetBlobContainerClient("checkpoints");
        container.CreateIfNotExists(cancellationToken: Cancel);
        return container;
    }

    private async Task Upload(string path, string text) =>
        await Container().GetBlobClient(path).UploadAsync(BinaryData.FromString(text), overwrite: true, Cancel);

    private static SuiteResult Suite(string suite, string version, SuiteCategory category, double @base, double score) =>
        new(suite, version, category, "exact_match", OutcomeKind.Binary, @base, score, score - @base, null, [score - @base - 5, score - @base + 5],
            0.5, 0.5, category == SuiteCategory.Target ? null : Severity.None, null, 10, ["c1"], []);

    private static string RunReportJson(string name, string method, double targetGain, double forgetting, params SuiteResult[] suites) =>
        JsonSerializer.Serialize(
            new RunReport(name, method, RunStatus.Completed, new Dictionary<string, string> { ["lr"] = "1e-4" }, Severity.None, targetGain, forgetting, false,
                suites, [new CheckpointReport(50, 1.25, suites)]),
            ReportJson.Options);

    private static string Items(string suite, string version, params (string Id, double Value)[] items) =>
        string.Concat(items.Select(i => JsonSerializer.Serialize(new { suite, version, id = i.Id, value = i.Value, response = "Paris" }) + "\n"));

    /// <summary>An experiment of Specs.Valid whose two runs have ended with crafted reports and final items.</summary>
    private async Task ExperimentWithReports(string tenant, string key, string experiment)
    {
        using var client = platform.Server.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(Specs.Valid(experiment)).Json()).Status);

        // The full run forgets capitals (6/10 → 4 lost) and the target is on version 1; the LoRA run keeps them, target on version 2.
        await Upload($"{tenant}/{experiment}/{Full}/run-report.json", RunReportJson(Full, "full", 40, 40,
            Suite("target", "1", SuiteCategory.Target, 0, 40), Suite("capitals_recall", "1", SuiteCategory.Knowledge, 100, 60)));
        await Upload($"{tenant}/{experiment}/{Lora}/run-report.json", RunReportJson(Lora, "lora-r8", 30, 0,
            Suite("target", "2", SuiteCategory.Target, 0, 30), Suite("capitals_recall", "1", SuiteCategory.Knowledge, 100, 100)));
        var ids = Enumerable.Range(1, 10).Select(i => $"c{i}").ToArray();
        await Upload($"{tenant}/{experiment}/{Full}/step-50/items.jsonl",
            Items("capitals_recall", "1", [.. ids.Select((id, i) => (id, i < 6 ? 1.0 : 0.0))])
            + Items("capitals_recall", "0", ("c1", 0.0), ("c2", 0.0)) // another version's items are not the same items
            + Items("target", "1", ("t1", 1.0)));
        await Upload($"{tenant}/{experiment}/{Lora}/step-50/items.jsonl",
            Items("capitals_recall", "1", [.. ids.Append("c11").Select(id => (id, 1.0))])
            + Items("target", "2", ("t1", 1.0)));
    }

    [Fact]
    public async Task CompareSetsRunsSideBySideAndPairsThemOnTheSameItemsOfTheSameVersion()
    {
        var (tenant, key) = await platform.NewTenant("cmp");
        await ExperimentWithReports(tenant, key, "cmp-exp");
        using var client = platform.Server.Client(key);

        var (status, body) = await client.Get($"api/v1/compare?runs=cmp-exp/{Lora},cmp-exp/{Full}").Json();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($"cmp-exp/{Lora}", (string)body!["reference"]!);
        var suites = body["suites"]!.AsArray();
        Assert.Equal(["target", "capitals_recall"], suites.Select(s => (string)s!["suite"]!));

        var capitals = suites[1]!;
        Assert.Equal([0.0, -40.0], capitals["runs"]!.AsArray().Select(r => (double)r!["deltaPoints"]!));
        var paired = capitals["paired"]!.AsArray().Single()!;
        Assert.True((bool)paired["paired"]!);
        Assert.Equal(10, (int)paired["n"]!);           // c1..c10 on version 1; c11 only in the reference
        Assert.Equal(1, (int)paired["unpaired"]!);
        Assert.Equal(100.0, (double)paired["referenceScore"]!);
        Assert.Equal(60.0, (double)paired["score"]!);
        Assert.Equal(-40.0, (double)paired["deltaPoints"]!);
        Assert.Equal(4, (int)paired["lost"]!);
        Assert.Equal(0, (int)paired["gained"]!);

        var target = suites[0]!["paired"]!.AsArray().Single()!;
        Assert.False((bool)target["paired"]!);
        Assert.Contains("versions differ", (string)target["reason"]!);
        Assert.DoesNotContain("\"c1\"", body.ToJsonString()); // item ids stay on the server

        Assert.Equal(HttpStatusCode.BadRequest, (await client.Get($"api/v1/compare?runs=cmp-exp/{Lora}").Json()).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Get("api/v1/compare?runs=a/b/c/d,x/y").Json()).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"api/v1/compare?runs=cmp-exp/{Lora},cmp-exp/no-such-run").Json()).Status);
    }

    [Fact]
    public async Task TheBoardShowsOnlyPublishedExperimentsAndOnlyTheirReports()
    {
        var (owner, ownerKey) = await platform.NewTenant("pub");
        var (quiet, quietKey) = await platform.NewTenant("quiet");
        var (_, viewerKey) = await platform.NewTenant("viewer", "Viewer");
        await ExperimentWithReports(owner, ownerKey, "shared-exp");
        await ExperimentWithReports(quiet, quietKey, "hidden-exp");
        using var ownerClient = platform.Server.Client(ownerKey);
        using var viewer = platform.Server.Client(viewerKey);

        // Before publishing, nothing of the owner's is on the board, and compare cannot reach it.
        Assert.DoesNotContain(owner, (await viewer.Get("api/v1/board").Text()).Body);
        var crossRuns = $"api/v1/compare?runs={owner}/shared-exp/{Full},{owner}/shared-exp/{Lora}";
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.Get(crossRuns).Json()).Status);

        Assert.Equal(HttpStatusCode.OK, (await ownerClient.Post("api/v1/experiments/shared-exp/publish").Json()).Status);
        var (status, text) = await viewer.Get("api/v1/board").Text();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain(quiet, text);
        var board = JsonNode.Parse(text)!;
        var group = board["groups"]!.AsArray().Single(g => g!["experiments"]!.AsArray().Any(e => (string)e!["tenantId"]! == owner))!;
        Assert.Matches("^[0-9a-f]{16,64}$", (string)group["baseModelHash"]!);
        Assert.Equal(["capitals_recall", "target"], group["suites"]!.AsArray().Select(s => (string)s!));
        var runs = group["runs"]!.AsArray().Where(r => (string)r!["tenantId"]! == owner).ToList();
        Assert.Equal(2, runs.Count);
        var lora = runs.Single(r => (string)r!["runId"]! == Lora)!;
        Assert.Equal(30.0, (double)lora["targetGainPoints"]!);
        Assert.Equal(0.0, (double)lora["forgettingPoints"]!);
        Assert.Equal("none", (string)lora["severity"]!);
        Assert.True((bool)lora["frontier"]!);
        // Reports only: no spec, items, answers or checkpoint locations.
        foreach (var leak in new[] { "specText", "blobLocation", "sha256", "items", "lost", "Paris", "conflicting_facts", "checkpoints" })
            Assert.DoesNotContain(leak, text);

        // Published reports can be compared across tenants; their checkpoints stay the owner's.
        var (crossStatus, cross) = await viewer.Get(crossRuns).Json();
        Assert.Equal(HttpStatusCode.OK, crossStatus);
        Assert.Equal(2, cross!["suites"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.Get($"api/v1/experiments/shared-exp/runs/{Lora}/checkpoints").Json()).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.Get("api/v1/experiments/shared-exp/report").Json()).Status);

        // Unpublished: gone from the board, and compare is 404 again.
        Assert.Equal(HttpStatusCode.OK, (await ownerClient.Post("api/v1/experiments/shared-exp/unpublish").Json()).Status);
        Assert.DoesNotContain(owner, (await viewer.Get("api/v1/board").Text()).Body);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.Get(crossRuns).Json()).Status);
    }

    [Fact]
    public async Task CheckpointsAreListedTheirReportsReadAndALoraAdapterDownloaded()
    {
        // Its own cluster, so its pool leases only this test's runs to the worker the test plays.
        var cluster = $"ckpt-{Guid.NewGuid():N}"[..18];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (tenant, key) = await PlatformFixture.NewTenant(server, "ckpt");
        var (_, otherKey) = await PlatformFixture.NewTenant(server, "other");
        using var client = server.Client(key);
        using var other = server.Client(otherKey);
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(Specs.Valid("ckpt-exp")).Json()).Status);

        var pool = server.Grains.GetGrain<IGpuPoolGrain>("pool");
        await pool.RegisterWorker(new WorkerRegistration("w1", [new WorkerDevice("cpu:0", "cpu", 8L << 30), new WorkerDevice("cpu:1", "cpu", 8L << 30)]));
        var grants = new List<LeaseGrant>();
        for (var i = 0; i < 20 && grants.Count < 2; i++)
        {
            grants.AddRange(await pool.RequestLeases("w1"));
            if (grants.Count < 2) await Task.Delay(100, Cancel);
        }
        Assert.Equal(2, grants.Count);

        var sha = new string('a', 64);
        foreach (var grant in grants)
        {
            var run = server.Grains.GetGrain<IRunGrain>(grant.RunKey);
            var name = grant.Work.Recipe.Name;
            var folder = $"{tenant}/ckpt-exp/{name}/step-25/";
            Assert.Equal(ReportOutcome.Applied, (await run.Started(new RunStarted(grant.LeaseId))).Outcome);
            Assert.Equal(ReportOutcome.Applied, (await run.CheckpointSaved(new CheckpointSaved(grant.LeaseId, 25, $"checkpoints/{folder}", sha))).Outcome);
            Assert.Equal(ReportOutcome.Applied, (await run.EvaluationStarted(new EvaluationStarted(grant.LeaseId, 25))).Outcome);
            Assert.Equal(ReportOutcome.Applied, (await run.EvaluationFinished(new EvaluationFinished(grant.LeaseId, 25, [new SuiteScore("target", 40), new SuiteScore("capitals_recall", 90)]))).Outcome);
            if (name == Lora)
            {
                await Upload(folder + "adapter_config.json", """{"peft_type":"LORA","r":8,"lora_alpha":16}""");
                await Upload(folder + "adapter_model.safetensors", "not really tensors");
                await Upload(folder + "optimizer.bin", "optimizer state stays out of the zip");
            }
            else
            {
                await Upload(folder + "model.safetensors", "full weights");
                await Upload(folder + "config.json", "{}");
            }
        }
        await Upload($"{tenant}/ckpt-exp/{Lora}/run-report.json", JsonSerializer.Serialize(
            new RunReport(Lora, "lora-r8", RunStatus.Completed, new Dictionary<string, string>(), Severity.None, 40, 10, false,
                [Suite("target", "1", SuiteCategory.Target, 0, 40)],
                [new CheckpointReport(25, 2.5, [Suite("target", "1", SuiteCategory.Target, 0, 40), Suite("capitals_recall", "1", SuiteCategory.Knowledge, 100, 90)])]),
            ReportJson.Options));

        var basePath = "api/v1/experiments/ckpt-exp/runs";
        var (listStatus, list) = await client.Get($"{basePath}/{Lora}/checkpoints").Json();
        Assert.Equal(HttpStatusCode.OK, listStatus);
        var checkpoint = list!.AsArray().Single()!;
        Assert.Equal(25, (long)checkpoint["step"]!);
        Assert.Equal(sha, (string)checkpoint["sha256"]!);
        Assert.Equal($"checkpoints/{tenant}/ckpt-exp/{Lora}/step-25/", (string)checkpoint["blobLocation"]!);
        Assert.Equal(90.0, (double)checkpoint["scores"]!["capitals_recall"]!);

        var (reportStatus, report) = await client.Get($"{basePath}/{Lora}/checkpoints/25/report").Json();
        Assert.Equal(HttpStatusCode.OK, reportStatus);
        Assert.Equal(["target", "capitals_recall"], report!["suites"]!.AsArray().Select(s => (string)s!["suite"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"{basePath}/{Lora}/checkpoints/50/report").Json()).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"{basePath}/{Full}/checkpoints/25/report").Json()).Status); // not ended: no report

        using (var response = await client.Get($"{basePath}/{Lora}/checkpoints/25/adapter"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
            using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync(Cancel));
            Assert.Equal(["adapter_config.json", "adapter_model.safetensors"], zip.Entries.Select(e => e.FullName).Order());
            using var reader = new StreamReader(zip.GetEntry("adapter_model.safetensors")!.Open(), Encoding.UTF8);
            Assert.Equal("not really tensors", await reader.ReadToEndAsync(Cancel));
        }

        var (fullStatus, full) = await client.Get($"{basePath}/{Full}/checkpoints/25/adapter").Json();
        Assert.Equal(HttpStatusCode.NotFound, fullStatus);
        Assert.Contains("full-model", (string)full!["detail"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"{basePath}/{Lora}/checkpoints/50/adapter").Json()).Status);

        // Another tenant: every checkpoint endpoint is 404, with the body a missing run gets.
        foreach (var path in new[] { $"{basePath}/{Lora}/checkpoints", $"{basePath}/{Lora}/checkpoints/25/report", $"{basePath}/{Lora}/checkpoints/25/adapter" })
        {
            var (otherStatus, otherBody) = await other.Get(path).Json();
            var (_, missingBody) = await other.Get(path.Replace("ckpt-exp", "no-such-exp")).Json();
            Assert.Equal(HttpStatusCode.NotFound, otherStatus);
            Assert.Equal(((string)missingBody!["detail"]!).Replace("no-such-exp", "ckpt-exp"), (string)otherBody!["detail"]!);
            Assert.DoesNotContain(sha, otherBody.ToJsonString());
        }
    }
}
