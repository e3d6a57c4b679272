using System.Net;
using System.Text.Json.Nodes;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Several machines on loopback: two servers with the same storage and cluster id form one Orleans
/// cluster, and two worker processes join it as clients. What is written through one server is
/// read through the other, and the pool hands work to both workers. (tools/demo/two-nodes.sh shows
/// the same with separate server processes.)
/// </summary>
public sealed class SeveralMachinesTests(PlatformFixture platform)
{
    private static readonly string Spec = TinySpecs.Grid("pair", steps: 4, every: 4, suites: "target, capitals_recall", lrs: "1.0e-3, 3.0e-3");

    private static readonly string[] Runs = ["full-lr1e-3-steps4-seed3", "full-lr3e-3-steps4-seed3"];

    [Fact]
    public async Task TwoServersAndTwoWorkersFormOneClusterThatServesTheSameStateAndSharesTheWork()
    {
        var cluster = $"several-{Guid.NewGuid():N}"[..18];
        var storage = platform.Azurite.ConnectionString;
        await using var serverA = await ServerInstance.StartAsync(storage, cluster, PlatformFixture.AdminKey);
        await using var serverB = await ServerInstance.StartAsync(storage, cluster, PlatformFixture.AdminKey);
        var world = WorkerTests.SmallWorld();
        await using var worker1 = await WorkerProcess.StartAsync(storage, cluster, world, Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1");
        await using var worker2 = await WorkerProcess.StartAsync(storage, cluster, world, Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w2");
        var (tenant, key) = await PlatformFixture.NewTenant(serverA, "pair"); // its key is checked by server B against the same tenant grain
        using var viaA = serverA.Client(key);
        using var viaB = serverB.Client(key);

        var submitted = await viaA.SubmitYaml(Spec).Json();
        Assert.Equal(HttpStatusCode.Created, submitted.Status);
        var seenByB = await viaB.Get("api/v1/experiments/pair").Json();
        Assert.Equal(HttpStatusCode.OK, seenByB.Status);
        Assert.Equal(tenant, (string)seenByB.Body!["tenantId"]!);

        var ended = new List<JsonNode>();
        foreach (var run in Runs)
            ended.Add(await WaitUntilEnded(viaB, run, () => $"worker 1:\n{worker1.Output}\n\nworker 2:\n{worker2.Output}"));

        Assert.All(ended, r => Assert.Equal("Completed", (string)r["state"]!));
        var startedBy = ended.Select(r => r["transitions"]!.AsArray()
            .Single(t => (string)t!["from"]! == "Leased" && (string)t["to"]! == "Running")!["reason"]!.GetValue<string>()).ToList();
        Assert.Contains(startedBy, reason => reason.Contains($"'{cluster}-w1'", StringComparison.Ordinal));
        Assert.Contains(startedBy, reason => reason.Contains($"'{cluster}-w2'", StringComparison.Ordinal));
        var report = await viaA.Get("api/v1/experiments/pair/report").Json();
        Assert.Equal(HttpStatusCode.OK, report.Status);
        Assert.Equal(2, report.Body!["runs"]!.AsArray().Count);
    }

    private static async Task<JsonNode> WaitUntilEnded(HttpClient client, string run, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await client.Get($"api/v1/experiments/pair/runs/{run}").Json();
            if (status == HttpStatusCode.OK) last = body;
            if ((string?)last?["state"] is "Completed" or "Failed" or "Cancelled" or "StoppedEarly") return last!;
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"run {run} did not end; last seen:\n{last?.ToJsonString()}\n\n{diagnostics()}");
    }
}
