using System.Net;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Memory placement end to end: a real worker process reports its CPU slot's memory (capped at 1 GiB here), every
/// submitted run carries its estimate, and the pool leases a run only where the estimate fits. A run that fits
/// nowhere stays queued and says why in the tenant's own run resource and run list.
/// </summary>
public sealed class PlacementTests(PlatformFixture platform)
{
    private const string TinyModel = "model: { n_layer: 1, n_head: 2, n_embd: 32, n_ctx: 32 }";

    /// <summary>About 100 million parameters: full fine-tuning needs well over 1 GiB.</summary>
    private const string LargeModel = "model: { n_layer: 8, n_head: 8, n_embd: 1024, n_ctx: 256 }";

    [Fact]
    public async Task ARunWhoseEstimateExceedsEveryWorkersMemoryStaysQueuedSayingWhyWhileOneThatFitsRuns()
    {
        var cluster = $"place-{Guid.NewGuid():N}"[..18];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (_, key) = await PlatformFixture.NewTenant(server, "place");
        using var client = server.Client(key);
        var run = WorkerTests.RunName(2);

        // The large one first, so it is the older in the queue: it still must not be leased.
        var large = TinySpecs.Grid("too-large", steps: 2, every: 2).Replace(TinyModel, LargeModel, StringComparison.Ordinal);
        Assert.Contains(LargeModel, large);
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(large).Json()).Status);
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(TinySpecs.Grid("fits", steps: 2, every: 2)).Json()).Status);
        var workerId = $"{cluster}-w1";
        await using var worker = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, TestWorlds.Small(),
            Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, workerId, extraArgs: ["--memory-gb", "1"]);

        var fits = await WorkerTests.WaitForRun(client, "fits", run, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(2), () => worker.Output);
        Assert.Equal("Completed", WorkerTests.State(fits));
        Assert.Equal("estimate", (string)fits["memory"]!["source"]!);
        Assert.InRange((long)fits["memory"]!["estimateBytes"]!, 1L << 20, 1L << 30);
        Assert.Null(fits["waiting"]);
        Assert.Contains("cpu:0 1.0 GiB", worker.Output); // what it registered with

        var (status, waiting) = await client.Get($"api/v1/experiments/too-large/runs/{run}").Json();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Queued", WorkerTests.State(waiting!));
        var estimate = (long)waiting!["memory"]!["estimateBytes"]!;
        Assert.True(estimate > 1L << 30, $"{estimate}");
        Assert.Equal(estimate, (long)waiting["memory"]!["placementBytes"]!);
        Assert.Matches($@"^needs \d+\.\d GiB per device; the largest device has 1\.0 GiB \(worker {workerId} cpu:0\)$", (string)waiting["waiting"]!);
        Assert.StartsWith($"{estimate / (double)(1L << 30):0.0} GiB at ".Replace(',', '.'), (string)waiting["memory"]!["basis"]!);

        var (_, list) = await client.Get("api/v1/experiments/too-large/runs").Json();
        var summary = Assert.Single(list!.AsArray())!;
        Assert.Equal((string)waiting["waiting"]!, (string)summary["waiting"]!);
        Assert.Equal(estimate, (long)summary["memoryBytes"]!);
    }
}
