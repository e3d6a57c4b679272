using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Gang placement without starvation end to end: real Azurite, a real server and one real worker process with two CPU devices. A
/// tenant's four single-device runs are queued ahead of its two-device run. Within a tenant the policy places runs in
/// class-priority-age order, and a single device freed by a single run fits only another single run, so without a reservation
/// every single run would start before the gang run (it needs both devices free at once, which only the end of the queue gives).
/// With a short <c>ForgetLab:Pool:GangWaitBound</c> the gang run, once waiting past it, reserves the worker: it drains instead of
/// taking the next single run, the gang run gets both devices, and the single runs queued before it wait until it has run. The
/// tenant's quota (2 devices) is what its single runs hold, so the reservation must also keep the tenant's own runs from taking
/// the quota the gang run needs.
/// </summary>
public sealed class GangReservationPlatformTests(PlatformFixture platform)
{
    private const string GangWaitBound = "00:00:03";

    [Fact]
    public async Task AMultiDeviceRunWaitingPastTheBoundDrainsTheWorkerAndStartsBeforeSingleRunsQueuedAheadOfIt()
    {
        var cluster = $"gang-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey,
            "--ForgetLab:Pool:GangWaitBound", GangWaitBound);
        var (tenant, key) = await PlatformFixture.NewTenant(server, "gang");
        // The tenant keeps its quota of 2 devices, which its running single runs fill: the reservation drains the tenant's quota
        // as well as the worker (none of its single runs starts while the gang run waits on its reserved worker).
        using var client = server.Client(key);
        var workerId = $"{cluster}-w1";
        var slow = new Dictionary<string, string> { ["FORGETLAB_JOB_STEP_DELAY_MS"] = "1000" };
        await using var worker = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(),
            Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, workerId, slow, ["--devices", "cpu:2"]);

        var singlesSpec = TinySpecs.Grid("singles", steps: 6, every: 6, suites: "target", lrs: "1.0e-3, 2.0e-3, 3.0e-3, 4.0e-3");
        Assert.Equal(HttpStatusCode.Created, (await client.PostJson("api/v1/experiments", new { spec = singlesSpec, devicesPerRun = 1 })).StatusCode);
        var singles = await RunIds(client, "singles");
        Assert.Equal(4, singles.Count);

        // Both devices busy with single runs before the gang run is queued: the worker must drain for it, not start it empty.
        await WaitForStarted(client, "singles", 2, () => worker.Output);
        var gangSpec = TinySpecs.Grid("gang", steps: 6, every: 6, suites: "target");
        Assert.Equal(HttpStatusCode.Created, (await client.PostJson("api/v1/experiments", new { spec = gangSpec, devicesPerRun = 2 })).StatusCode);
        var gangRun = WorkerTests.RunName(6);

        var gang = await WorkerTests.WaitForRun(client, "gang", gangRun, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => worker.Output);
        Assert.Equal("Completed", WorkerTests.State(gang));
        Assert.Equal([$"worker '{workerId}' started the job"], PreemptionPlatformTests.Starts(gang));
        var leased = ((string)gang["transitions"]!.AsArray().Select(t => t!).Single(t => ((string)t["reason"]!).StartsWith("leased to worker", StringComparison.Ordinal))["reason"]!);
        Assert.StartsWith($"leased to worker '{workerId}' on ", leased);
        Assert.Equal(["cpu:0", "cpu:1"], leased[$"leased to worker '{workerId}' on ".Length..].Split(", ").Order(StringComparer.Ordinal));
        Assert.Matches($@"run {tenant}/gang/{gangRun} on (cpu:0,cpu:1|cpu:1,cpu:0)", worker.Output);

        var ended = new List<JsonNode>();
        foreach (var single in singles)
            ended.Add(await WorkerTests.WaitForRun(client, "singles", single, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => worker.Output));
        Assert.All(ended, r => Assert.Equal("Completed", WorkerTests.State(r)));
        Assert.All(ended, r => Assert.Single(PreemptionPlatformTests.Starts(r)));

        // The order the pool recorded: single runs queued before the gang run and still waiting when it was queued, at least one of
        // which started only after the gang run did (the reserved worker drained for it instead of taking them). Without the
        // reservation every single run starts first: all four started before the gang run with GangWaitBound 01:00:00.
        var gangQueued = At(gang, t => (string)t["to"]! == "Queued");
        var gangStarted = Started(gang);
        var order = string.Join(", ", singles.Zip(ended, (id, r) => (id, Started(r))).Append(("gang", gangStarted)).OrderBy(p => p.Item2)
            .Select(p => $"{p.Item1} {p.Item2:HH:mm:ss.fff}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"gang queued {gangQueued:HH:mm:ss.fff}; starts: {order}");
        var waiting = ended.Where(r => At(r, t => (string)t["to"]! == "Queued") < gangQueued && Started(r) > gangQueued).ToList();
        Assert.True(waiting.Count > 0, $"no single run was still waiting when the gang run was queued ({gangQueued:HH:mm:ss.fff}); starts: {order}");
        Assert.True(waiting.Any(r => Started(r) > gangStarted), $"every single run queued ahead of the gang run started before it; starts: {order}");
    }

    /// <summary>The experiment's run ids, from its run list.</summary>
    private static async Task<List<string>> RunIds(HttpClient client, string experiment)
    {
        var (status, list) = await client.Get($"api/v1/experiments/{experiment}/runs").Json();
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. list!.AsArray().Select(r => (string)r!["runId"]!)];
    }

    /// <summary>Polls the experiment's run list until <paramref name="count"/> of its runs have left the queue (load-stretched, as WaitForRun).</summary>
    private static async Task WaitForStarted(HttpClient client, string experiment, int count, Func<string> diagnostics)
    {
        var timeout = TimeSpan.FromMinutes(2) * WorkerTests.LoadStretch();
        var deadline = DateTime.UtcNow + timeout;
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var (status, list) = await client.Get($"api/v1/experiments/{experiment}/runs").Json();
            if (status == HttpStatusCode.OK && list is not null)
            {
                last = list;
                if (list.AsArray().Count(r => (string)r!["state"]! is not ("Pending" or "Queued")) >= count) return;
            }
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"{count} runs of {experiment} did not leave the queue in {timeout}; last seen:\n{last?.ToJsonString()}\n\nworker output:\n{diagnostics()}");
    }

    /// <summary>When the run's job last started on a worker.</summary>
    private static DateTimeOffset Started(JsonNode run) => At(run, t => ((string)t["reason"]!).EndsWith("' started the job", StringComparison.Ordinal));

    /// <summary>The time of the run's last transition that <paramref name="which"/> picks.</summary>
    private static DateTimeOffset At(JsonNode run, Func<JsonNode, bool> which) =>
        DateTimeOffset.Parse((string)run["transitions"]!.AsArray().Select(t => t!).Last(which)["at"]!, CultureInfo.InvariantCulture);
}
