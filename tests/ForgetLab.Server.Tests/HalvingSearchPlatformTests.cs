using System.Net;
using System.Text.Json.Nodes;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The forgetting-aware search end to end: real Azurite, a real server and a real worker process with four CPU slots, so the
/// four runs of the grid train side by side as on a pool. Two learning rates, two seeds each: at the rung the runs that
/// barely move are dominated by the ones that learn the target and stop early; the two seeds of a learning rate differ only
/// by noise, which stops neither.
/// </summary>
public sealed class HalvingSearchPlatformTests(PlatformFixture platform)
{
    private const int Rung = 4;

    private static readonly string[] Learning = TinySpecs.HalvingLearning;
    private static readonly string[] Still = TinySpecs.HalvingStill;

    [Fact]
    public async Task RunsDominatedAtTheRungStopEarlyTheirDevicesGoBackToThePoolAndTheRunsThatDifferByNoiseComplete()
    {
        var cluster = $"halving-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (_, key) = await PlatformFixture.NewTenant(server, "halving");
        using var client = server.Client(key);
        // Slow steps, so the runs the search keeps are still training when it decides and the freed devices can be seen.
        var slow = new Dictionary<string, string> { ["FORGETLAB_JOB_STEP_DELAY_MS"] = "300" };
        await using var worker = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(),
            Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w", slow, extraArgs: ["--devices", "cpu:4"]);
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(TinySpecs.Halving("search")).Json()).Status);

        var stopped = new List<JsonNode>();
        foreach (var run in Still)
            stopped.Add(await WorkerTests.WaitForRun(client, "search", run, r => WorkerTests.State(r) is not ("Queued" or "Leased" or "Running" or "Evaluating"),
                TimeSpan.FromMinutes(3), () => worker.Output));
        // The devices of the stopped runs are back in the pool while the runs it keeps still train.
        var usage = await Eventually(async () => (await client.Get("api/v1/usage").Json()).Body!, u => (int)u["devicesInUse"]! <= 2, TimeSpan.FromSeconds(20));
        Assert.True((int)usage["devicesInUse"]! <= 2, usage.ToJsonString());

        var (_, experiment) = await client.Get("api/v1/experiments/search").Json();
        var rung = Assert.Single(experiment!["rungs"]!.AsArray())!;
        Assert.Equal(Rung, (long)rung["step"]!);
        Assert.Equal([.. Learning, .. Still], rung["compared"]!.AsArray().Select(r => (string)r!).Order(StringComparer.Ordinal));
        Assert.Equal(Still, rung["stopped"]!.AsArray().Select(s => (string)s!["run"]!).Order(StringComparer.Ordinal));
        var reason = $"dominated at step {Rung} by {Learning[0]} (and 1 other: {Learning[1]})";
        foreach (var run in stopped)
        {
            Assert.Equal("StoppedEarly", WorkerTests.State(run));
            Assert.Equal(reason, (string)run["transitions"]!.AsArray()[^1]!["reason"]!);
        }

        var kept = new List<JsonNode>();
        foreach (var run in Learning)
            kept.Add(await WorkerTests.WaitForRun(client, "search", run, r => WorkerTests.State(r) is "Completed" or "Failed" or "StoppedEarly",
                TimeSpan.FromMinutes(3), () => worker.Output));
        Assert.All(kept, r => Assert.Equal("Completed", WorkerTests.State(r)));
        Assert.All(kept, r => Assert.Equal([4L, 8L, 12L], r["checkpoints"]!.AsArray().Select(c => (long)c!["step"]!)));

        // The two seeds were compared at the rung with different target gains, and neither difference was significant.
        var gains = kept.Select(r => Objective(r, Rung)).ToList();
        Assert.NotEqual(gains[0].Delta, gains[1].Delta);
        Assert.True(gains[0].Low <= gains[1].High && gains[1].Low <= gains[0].High, $"the seeds' intervals overlap: {string.Join("; ", gains)}");
        var still = stopped.Select(r => Objective(r, Rung)).ToList();
        Assert.All(still, s => Assert.All(gains, g => Assert.True(g.Low > s.High, $"a learning run's gain {g} lies above a stopped run's {s}")));
    }

    private static (double Delta, double Low, double High) Objective(JsonNode run, long step)
    {
        var checkpoint = run["checkpoints"]!.AsArray().Single(c => (long)c!["step"]! == step)!;
        var objective = checkpoint["scores"]!.AsArray().Single(s => (string)s!["suite"]! == "target")!["objective"]!;
        Assert.Equal("target_gain", (string)objective["role"]!);
        return ((double)objective["deltaPoints"]!, (double)objective["ci95Low"]!, (double)objective["ci95High"]!);
    }

    private static async Task<JsonNode> Eventually(Func<Task<JsonNode>> read, Func<JsonNode, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await read();
        while (!done(last) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            last = await read();
        }
        return last;
    }
}
