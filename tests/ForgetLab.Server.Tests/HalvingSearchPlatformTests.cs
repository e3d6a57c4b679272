using System.Net;
using System.Text.Json.Nodes;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The forgetting-aware search through the platform: real Azurite, a real server and a real worker process with one CPU slot, so a
/// grid of two runs is larger than the pool. The worker tells the experiment of each scored checkpoint; the run that gets the
/// device first scores its rung checkpoint, waits Paused there and gives the device back, the other trains to the rung, and the
/// rung is decided on both, on the objectives the workers reported. Without the hold the first run would train to its end before
/// the second began, and the rung would compare one run.
/// </summary>
public sealed class HalvingSearchPlatformTests(PlatformFixture platform)
{
    [Fact]
    public async Task OnOneDeviceTheFirstRunWaitsAtTheRungUntilTheOtherIsScoredThereAndRunsWithinNoiseOfEachOtherAllComplete()
    {
        var cluster = $"halving-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (_, key) = await PlatformFixture.NewTenant(server, "halving");
        using var client = server.Client(key);
        await using var worker = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(),
            Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w", extraArgs: ["--devices", "cpu:1"]);
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

        // What the search compared: the target gain each worker reported at the rung, with intervals that overlap (the paired
        // test on the rung checkpoints' items, which decided, did not separate them either: nothing was stopped).
        var gains = runs.Select(r => Objective(r, 4)).ToList();
        Assert.True(gains[0].Low <= gains[1].High && gains[1].Low <= gains[0].High, $"the runs' intervals overlap: {string.Join("; ", gains)}");
        AssertTheFirstWaitedForTheSecond(runs, 4);
    }

    [Fact]
    public async Task ARunTheOtherSignificantlyDominatesAtTheRungEndsStoppedEarlyWithTheReasonAndTheOtherCompletes()
    {
        var cluster = $"stop-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (_, key) = await PlatformFixture.NewTenant(server, "stop");
        using var client = server.Client(key);
        await using var worker = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(),
            Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w", extraArgs: ["--devices", "cpu:1"]);
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(TinySpecs.HalvingStop("cut")).Json()).Status);

        var runs = new List<JsonNode>();
        foreach (var name in TinySpecs.HalvingStopRuns)
            runs.Add(await WorkerTests.WaitForRun(client, "cut", name, r => WorkerTests.State(r) is "Completed" or "Failed" or "StoppedEarly" or "Cancelled",
                TimeSpan.FromMinutes(4), () => worker.Output));
        var (learner, idle) = (runs[0], runs[1]);

        // The learner knows all eight facts at the rung; the idle run none. Neither forgets (no retained suite), and the learner's
        // interval lies wholly above the idle run's: a significant difference, so the search stops the idle run there.
        var (learnt, none) = (Objective(learner, 125), Objective(idle, 125));
        Assert.True(learnt.Low > none.High, $"significant: learner {learnt}, idle {none}");
        var reason = $"dominated at step 125 by {TinySpecs.HalvingStopRuns[0]}";
        Assert.Equal(("StoppedEarly", reason), (WorkerTests.State(idle), (string)idle["transitions"]!.AsArray()[^1]!["reason"]!));
        Assert.Equal([125L], idle["checkpoints"]!.AsArray().Select(c => (long)c!["step"]!));
        Assert.Equal("Completed", WorkerTests.State(learner));
        Assert.Equal([125L, 150L], learner["checkpoints"]!.AsArray().Select(c => (long)c!["step"]!));

        var (_, experiment) = await client.Get("api/v1/experiments/cut").Json();
        var rung = Assert.Single(experiment!["rungs"]!.AsArray())!;
        Assert.Equal(TinySpecs.HalvingStopRuns.Order(StringComparer.Ordinal), rung["compared"]!.AsArray().Select(r => (string)r!).Order(StringComparer.Ordinal));
        var stop = Assert.Single(rung["stopped"]!.AsArray())!;
        Assert.Equal((TinySpecs.HalvingStopRuns[1], reason), ((string)stop["run"]!, (string)stop["reason"]!));
        // The worker uploaded each rung checkpoint's items.jsonl, so the grain compared the two runs item by item.
        Assert.Equal("paired", (string)stop["test"]!);
        AssertTheFirstWaitedForTheSecond(runs, 125);
    }

    /// <summary>
    /// With one device, exactly one run paused at the rung, and the other was leased only after that pause gave the device back
    /// (the transitions are in the runs' own order; no timing is assumed).
    /// </summary>
    private static void AssertTheFirstWaitedForTheSecond(IReadOnlyList<JsonNode> runs, long rung)
    {
        static IEnumerable<JsonNode> Moves(JsonNode run, string to) => run["transitions"]!.AsArray().Select(t => t!).Where(t => (string)t["to"]! == to);
        var first = Assert.Single(runs, r => Moves(r, "Paused").Any());
        var second = runs.Single(r => !ReferenceEquals(r, first));
        var paused = Assert.Single(Moves(first, "Paused"));
        Assert.StartsWith($"paused at rung {rung}", (string)paused["reason"]!);
        Assert.True(DateTimeOffset.Parse((string)Moves(second, "Leased").First()["at"]!, System.Globalization.CultureInfo.InvariantCulture)
            >= DateTimeOffset.Parse((string)paused["at"]!, System.Globalization.CultureInfo.InvariantCulture),
            "the second run got the device after the first paused and gave it back");
    }

    private static (double Delta, double Low, double High) Objective(JsonNode run, long step)
    {
        var checkpoint = run["checkpoints"]!.AsArray().Single(c => (long)c!["step"]! == step)!;
        var objective = checkpoint["scores"]!.AsArray().Single(s => (string)s!["suite"]! == "target")!["objective"]!;
        Assert.Equal("target_gain", (string)objective["role"]!);
        return ((double)objective["deltaPoints"]!, (double)objective["ci95Low"]!, (double)objective["ci95High"]!);
    }
}
