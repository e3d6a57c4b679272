using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;

namespace ForgetLab.Server.Tests;

/// <summary>
/// A registered data set through a real worker: the spec names the target file and the replay corpus by data_ref, the
/// worker downloads and verifies them, the job trains on them, and the platform's report carries their bounds (hash,
/// examples, tokens) as the lab's does. A data set whose stored bytes no longer match their recorded hash fails the run.
/// </summary>
public sealed class DatasetPlatformTests(PlatformFixture platform)
{
    /// <summary>The one run of <see cref="Spec"/>: replay names itself in the run's name.</summary>
    private const string RunName = "full-lr1e-3-steps4-seed3-replay0.5";

    private static string Spec(string name, string dataset) => TinySpecs.Grid(name, steps: 4, every: 2, suites: "target, capitals_recall")
        .Replace("target: { task: conflicting_facts, count: 6 }",
            $"target: {{ data: {{ data_ref: {dataset}, file: train.jsonl }}, eval_split: 2 }}", StringComparison.Ordinal)
        .Replace("checkpoint_every: 2 }", $"checkpoint_every: 2, replay: {{ ratio: 0.5, corpus: {{ data_ref: {dataset}, file: general.jsonl }} }} }}", StringComparison.Ordinal);

    [Fact]
    public async Task AWorkerTrainsOnAnUploadedDataSetAndTheReportRecordsItsBounds()
    {
        var cluster = $"data-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (tenant, key) = await PlatformFixture.NewTenant(server, "dataruns");
        using var client = server.Client(key);
        var train = Datasets.PromptCompletion(8);
        var general = Datasets.Text(5);
        var zip = Datasets.Zip(Datasets.Entry("train.jsonl", train), Datasets.Entry("general.jsonl", general));
        Assert.Equal(HttpStatusCode.Created, (await client.PostZip("tickets", zip)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostZip("tampered", zip)).StatusCode);
        var (_, tampered) = await client.Get("api/v1/datasets/tampered").Json();
        // Someone with access to the storage account changes a stored file behind the registry's back.
        var prefix = ((string)tampered!["blobPrefix"]!)["checkpoints/".Length..];
        await new BlobServiceClient(platform.Azurite.ConnectionString).GetBlobContainerClient("checkpoints").GetBlobClient(prefix + "train.jsonl")
            .UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(Datasets.PromptCompletion(9))), overwrite: true, TestContext.Current.CancellationToken);

        await using var worker = await WorkerProcess.StartAsync(
            platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(), Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1");
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(Spec("on-tickets", "tickets"))).StatusCode);
        var run = await WorkerTests.WaitForRun(client, "on-tickets", RunName, r => WorkerTests.State(r) is "Completed" or "Failed",
            TimeSpan.FromMinutes(3), () => worker.Output);

        Assert.True(WorkerTests.State(run) == "Completed", $"{run.ToJsonString()}\n{worker.Output}");
        Assert.Contains($"Downloaded data set tickets of {tenant}", worker.Output);
        var (status, report) = await client.Get("api/v1/experiments/on-tickets/report").Json();
        Assert.Equal(HttpStatusCode.OK, status);
        var data = report!["data"]!.AsArray().Select(d => ((string)d!["role"]!, (string)d["file"]!, (string)d["sha256"]!, (int)d["examples"]!)).ToList();
        Assert.Equal([
            ("target", "data_ref:tickets/train.jsonl", Sha(train), 6),
            ("target_eval", "data_ref:tickets/train.jsonl", Sha(train), 2),
            ("replay_corpus", "data_ref:tickets/general.jsonl", Sha(general), 5),
        ], data);
        Assert.All(report["data"]!.AsArray(), d => Assert.True((long)d!["tokens"]! > 0));
        Assert.All(report["runs"]!.AsArray(), r => Assert.Null(r!["data"])); // gathered into the report's data, as the lab writes it
        var markdown = await client.Get("api/v1/experiments/on-tickets/report?format=markdown").Text();
        Assert.Contains("data_ref:tickets/train.jsonl", markdown.Body);

        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(Spec("on-tampered", "tampered"))).StatusCode);
        var failed = await WorkerTests.WaitForRun(client, "on-tampered", RunName, r => WorkerTests.State(r) is "Completed" or "Failed",
            TimeSpan.FromMinutes(2), () => worker.Output);
        Assert.Equal("Failed", WorkerTests.State(failed));
        Assert.Contains("data set 'tampered': train.jsonl has", failed["transitions"]!.AsArray()[^1]!["reason"]!.ToString());
    }

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
