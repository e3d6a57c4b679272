using System.Net;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ForgetLab.Server.Tests;

/// <summary>
/// A method added through the method seam ((IA)³) runs on the platform like any other: submitted
/// through the API, leased and trained by a real worker process, its PEFT-layout adapter files in
/// Blob storage, its run in the experiment's report.
/// </summary>
public sealed class Ia3PlatformTests(PlatformFixture platform)
{
    private static readonly string Spec = TinySpecs.Grid("ia3", steps: 4, every: 2, suites: "target, capitals_recall", method: "{ type: ia3 }", lrs: "1.0e-2");

    private const string Run = "ia3-lr1e-2-steps4-seed3";

    [Fact]
    public async Task AnIa3RunSubmittedToThePlatformCompletesWithPeftAdapterFilesInBlobStorage()
    {
        var cluster = $"ia3-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (tenant, key) = await PlatformFixture.NewTenant(server, "ia3");
        await using var worker = await WorkerProcess.StartAsync(
            platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(), Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1");
        using var client = server.Client(key);

        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(Spec).Json()).Status);
        var run = await WorkerTests.WaitForRun(client, "ia3", Run, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => worker.Output);

        Assert.Equal("Completed", WorkerTests.State(run));
        Assert.Equal([2L, 4L], run["checkpoints"]!.AsArray().Select(c => (long)c!["step"]!));
        var container = new BlobServiceClient(platform.Azurite.ConnectionString).GetBlobContainerClient("checkpoints");
        var blobs = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{tenant}/ia3/{Run}/step-4/", TestContext.Current.CancellationToken))
            blobs.Add(blob.Name[$"{tenant}/ia3/{Run}/step-4/".Length..]);
        Assert.Contains("adapter_model.safetensors", blobs);
        Assert.Contains("adapter_config.json", blobs);
        Assert.DoesNotContain("model.safetensors", blobs);
        var config = (await container.GetBlobClient($"{tenant}/ia3/{Run}/step-4/adapter_config.json").DownloadContentAsync(TestContext.Current.CancellationToken)).Value.Content.ToString();
        Assert.Contains("\"peft_type\": \"IA3\"", config);

        var (status, report) = await client.Get("api/v1/experiments/ia3/report").Json();
        Assert.Equal(HttpStatusCode.OK, status);
        var reported = Assert.Single(report!["runs"]!.AsArray())!;
        Assert.Equal("completed", (string)reported["status"]!);
        Assert.Equal("ia3", (string)reported["method"]!);
        Assert.Equal("c_attn,mlp.c_proj", (string)reported["hyperparameters"]!["ia3_target_modules"]!);
    }
}
