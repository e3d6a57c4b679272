using System.Net;
using System.Text.Json.Nodes;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The forgetting-aware search through the platform: real Azurite, a real server and a real worker process with two CPU slots,
/// so both runs of <see cref="TinySpecs.Halving"/> train side by side as on a pool. The worker tells the experiment of each scored
/// checkpoint; the rung is decided once both have scored theirs, on the objectives the workers reported. The tiny runs differ
/// only within their intervals, so the search stops neither and both complete.
/// </summary>
public sealed class HalvingSearchPlatformTests(PlatformFixture platform)
{
    [Fact]
    public async Task RealWorkersRunsAreComparedAtTheRungAndRunsWithinNoiseOfEachOtherAllComplete()
    {
        var cluster = $"halving-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (_, key) = await PlatformFixture.NewTenant(server, "halving");
        using var client = server.Client(key);
        // Slow steps, so both runs are still live when each scores its rung checkpoint: a run that has already ended is not compared.
        var slow = new Dictionary<string, string> { ["FORGETLAB_JOB_STEP_DELAY_MS"] = "500" };
        await using var worker = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(),
            Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w", slow, extraArgs: ["--devices", "cpu:2"]);
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(TinySpecs.Halving("search")).Json()).Status);

        var runs = new List<JsonNode>();
        foreach (var name in TinySpecs.HalvingRuns)
            runs.Add(await WorkerTests.WaitForRun(client, "search", name, r => WorkerTests.State(r) is "Completed" or "Failed" or "StoppedEarly" or "Cancelled",
                TimeSpan.FromMinutes(3), () => worker.Output));
        Assert.All(runs, r => Assert.Equal("Completed", WorkerTests.State(r)));
        Assert.All(runs, r => Assert.Equal([4L, 8L, 12L], r["checkpoints"]!.AsArray().Select(c => (long)c!["step"]!)));

        var (_, experiment) = await client.Get("api/v1/experiments/search").Json();
        var rung = Assert.Single(experiment!["rungs"]!.AsArray())!;
        Assert.Equal(4, (long)rung["step"]!);
        Assert.Equal(TinySpecs.HalvingRuns, rung["compared"]!.AsArray().Select(r => (string)r!).Order(StringComparer.Ordinal));
        Assert.Empty(rung["stopped"]!.AsArray());

        // What the search compared: the target gain each worker reported at the rung, with intervals that overlap.
        var gains = runs.Select(r => Objective(r, 4)).ToList();
        Assert.True(gains[0].Low <= gains[1].High && gains[1].Low <= gains[0].High, $"the runs' intervals overlap: {string.Join("; ", gains)}");
    }

    private static (double Delta, double Low, double High) Objective(JsonNode run, long step)
    {
        var checkpoint = run["checkpoints"]!.AsArray().Single(c => (long)c!["step"]! == step)!;
        var objective = checkpoint["scores"]!.AsArray().Single(s => (string)s!["suite"]! == "target")!["objective"]!;
        Assert.Equal("target_gain", (string)objective["role"]!);
        return ((double)objective["deltaPoints"]!, (double)objective["ci95Low"]!, (double)objective["ci95High"]!);
    }
}
