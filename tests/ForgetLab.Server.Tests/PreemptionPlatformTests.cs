using System.Text.Json.Nodes;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Checkpoint-then-preempt end to end: real Azurite, a real server and real worker processes. A high-class run preempts a
/// low-class one; the low run's job checkpoints on request, its worker uploads and verifies the checkpoint, the run goes back to
/// the queue, resumes on the other worker and ends with the same checkpoints and scores as an uninterrupted run. The first worker
/// runs with <c>--max-leases 2</c> (the victim's lease and the high-class run's), so it cannot take the victim back: the resume
/// happens on the second worker by construction, not by who polls first. And borrowing with a real worker: an idle tenant's
/// guaranteed device lent to another tenant and reclaimed by preemption when the owner's work comes.
/// </summary>
public sealed class PreemptionPlatformTests(PlatformFixture platform)
{
    [Fact]
    public async Task AHighClassRunPreemptsALowOneWhichCheckpointsResumesAndEndsWithTheScoresOfAnUninterruptedRun()
    {
        var cluster = $"preempt-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey,
            "--ForgetLab:Pool:LeaseTtl", "00:00:20", "--ForgetLab:Pool:PreemptionGrace", "00:05:00");
        var (_, key) = await PlatformFixture.NewTenant(server, "preempt");
        using var client = server.Client(key);
        var world = WorkerTests.SmallWorld();
        var cache = Directory.CreateTempSubdirectory("forgetlab-cache-").FullName;
        var slow = new Dictionary<string, string> { ["FORGETLAB_JOB_STEP_DELAY_MS"] = SlowStepMs };
        var run = WorkerTests.RunName(8);

        var (w1, w2) = ($"{cluster}-w1", $"{cluster}-w2");
        await using var first = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, world, cache, w1, slow, ["--max-leases", "2"]);
        Assert.True((await client.PostJson("api/v1/experiments", new { spec = WorkerTests.TinySpec("victim", steps: 8, every: 2), priorityClass = "low" })).IsSuccessStatusCode);
        await WorkerTests.WaitForRun(client, "victim", run, r => r["checkpoints"]!.AsArray().Any(c => (long)c!["step"]! == 2), TimeSpan.FromMinutes(3), () => first.Output);

        Assert.True((await client.PostJson("api/v1/experiments", new { spec = WorkerTests.TinySpec("urgent", steps: 2, every: 2), priorityClass = "high" })).IsSuccessStatusCode);
        var preempted = await WorkerTests.WaitForRun(client, "victim", run, r => r["preemptions"]!.AsArray().Count > 0, TimeSpan.FromMinutes(2), () => first.Output);
        var preemption = preempted["preemptions"]![0]!;
        Assert.Equal(("higher_class", "checkpointed"), ((string)preemption["reason"]!, (string)preemption["outcome"]!));
        var step = (long)preemption["checkpointStep"]!;
        Assert.Contains(preempted["checkpoints"]!.AsArray(), c => (long)c!["step"]! == step);
        // The pool's record is what counts: "checkpointed" means the worker uploaded, read back and verified the checkpoint and the
        // pool ended the lease on it. The worker's own log line is not asserted: the heartbeat that sees the lease ended can reach
        // the worker before the preemption call returns, and then the worker logs the lease as lost instead.
        Assert.Contains("asking the job to checkpoint now", first.Output);

        // The freed worker takes the high-class run (its second and last lease); the preempted run can then only resume on the second
        // worker, started once the high-class run holds the first, whether or not that run has ended by the time the second registers.
        var urgent = await WorkerTests.WaitForRun(client, "urgent", WorkerTests.RunName(2), r => WorkerTests.State(r) is "Running" or "Evaluating" or "Completed" or "Failed",
            TimeSpan.FromMinutes(2), () => first.Output);
        Assert.Equal([$"worker '{w1}' started the job"], Starts(urgent));
        await using var second = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, world, cache, w2, slow);
        var resumed = await WorkerTests.WaitForRun(client, "victim", run, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => second.Output);
        Assert.Equal("Completed", WorkerTests.State(resumed));
        Assert.Equal([$"worker '{w1}' started the job", $"worker '{w2}' started the job"], Starts(resumed));
        var resuming = $"Resuming {resumed["tenantId"]}/victim/{run} from the checkpoint at step {step}";
        Assert.Contains(resuming, second.Output);
        Assert.DoesNotContain(resuming, first.Output);
        Assert.Equal("Completed", WorkerTests.State(await WorkerTests.WaitForRun(client, "urgent", WorkerTests.RunName(2),
            r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(2), () => first.Output)));
        // Its two leases taken and their jobs ended, the first worker stopped by itself, having asked for nothing more.
        Assert.Equal(0, await first.ExitedAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
        Assert.Contains($"Worker {w1}: took the 2 leases --max-leases allows and their jobs have ended; stopping", first.Output);

        Assert.True((await client.PostJson("api/v1/experiments", new { spec = WorkerTests.TinySpec("straight", steps: 8, every: 2), priorityClass = "low" })).IsSuccessStatusCode);
        var straight = await WorkerTests.WaitForRun(client, "straight", run, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => second.Output);
        Assert.Equal("Completed", WorkerTests.State(straight));

        // The checkpoint saved for the preemption is off the schedule and never scored.
        AssertScheduledCheckpointsAreTheUninterruptedRuns(resumed, straight);
        Assert.All(resumed["checkpoints"]!.AsArray().Where(c => (bool)c!["forPreemption"]! && (long)c["step"]! % 2 == 1), c => Assert.Null(c!["evaluatedAt"]));

        var (_, list) = await client.Get("api/v1/experiments/victim/runs").Json();
        Assert.Equal(1, (int)list!.AsArray().Single()!["preemptions"]!);
    }

    /// <summary>
    /// Borrowing with a real worker: the owner tenant is guaranteed the pool's only device and is idle, so the borrower's run (no
    /// guarantee of its own) gets it; when the owner submits, the borrower's run of the same class is preempted to reclaim the
    /// guarantee, checkpoints, waits while the owner's run runs, resumes from that checkpoint and ends as an uninterrupted run does.
    /// </summary>
    [Fact]
    public async Task AnIdleTenantsGuaranteedDeviceIsLentAndReclaimedByPreemptionWhenItsWorkComesAndTheBorrowerResumes()
    {
        var cluster = $"borrow-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey,
            "--ForgetLab:Pool:LeaseTtl", "00:00:20", "--ForgetLab:Pool:PreemptionGrace", "00:05:00");
        var (owner, ownerKey) = await PlatformFixture.NewTenant(server, "owner");
        using (var admin = server.Client(PlatformFixture.AdminKey))
        {
            var guaranteed = await admin.PutJson($"api/v1/tenants/{owner}", new { displayName = "owner", weight = 1, maxConcurrentDevices = 1, guaranteedDevices = 1 });
            Assert.Equal(System.Net.HttpStatusCode.OK, guaranteed.StatusCode);
        }
        var (borrower, borrowerKey) = await PlatformFixture.NewTenant(server, "borrower");
        using var owning = server.Client(ownerKey);
        using var borrowing = server.Client(borrowerKey);
        var slow = new Dictionary<string, string> { ["FORGETLAB_JOB_STEP_DELAY_MS"] = SlowStepMs };
        var worker = $"{cluster}-w1";
        await using var only = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(),
            Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, worker, slow);
        var run = WorkerTests.RunName(8);

        // The owner has nothing queued: its guaranteed device is lent to the borrower, which holds it beyond its own guarantee of none.
        Assert.True((await borrowing.PostJson("api/v1/experiments", new { spec = WorkerTests.TinySpec("lent", steps: 8, every: 2), priorityClass = "normal" })).IsSuccessStatusCode);
        await WorkerTests.WaitForRun(borrowing, "lent", run, r => r["checkpoints"]!.AsArray().Any(c => (long)c!["step"]! == 2), TimeSpan.FromMinutes(3), () => only.Output);
        Assert.Equal(1, (int)(await borrowing.Get("api/v1/usage").Json()).Body!["devicesInUse"]!);

        // The owner's run is of the same class, so only the reclaim can preempt for it.
        Assert.True((await owning.PostJson("api/v1/experiments", new { spec = WorkerTests.TinySpec("mine", steps: 2, every: 2), priorityClass = "normal" })).IsSuccessStatusCode);
        var preempted = await WorkerTests.WaitForRun(borrowing, "lent", run, r => r["preemptions"]!.AsArray().Count > 0, TimeSpan.FromMinutes(2), () => only.Output);
        var preemption = preempted["preemptions"]![0]!;
        Assert.Equal(("reclaim_guarantee", "checkpointed"), ((string)preemption["reason"]!, (string)preemption["outcome"]!));
        var step = (long)preemption["checkpointStep"]!;
        Assert.Contains(preempted["checkpoints"]!.AsArray(), c => (long)c!["step"]! == step);
        // The borrower reads why, but not whose run took the device.
        var requeued = preempted["transitions"]!.AsArray().Select(t => t!).Last(t => (string)t["from"]! == "Running" && (string)t["to"]! == "Queued");
        Assert.StartsWith("preempted: another tenant holds fewer than its guaranteed devices and reclaims devices lent to this tenant", (string)requeued["reason"]!);
        Assert.DoesNotContain(owner, preempted.ToJsonString());

        var mine = await WorkerTests.WaitForRun(owning, "mine", WorkerTests.RunName(2), r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(2), () => only.Output);
        Assert.Equal("Completed", WorkerTests.State(mine));
        Assert.Equal([$"worker '{worker}' started the job"], Starts(mine));
        var resumed = await WorkerTests.WaitForRun(borrowing, "lent", run, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => only.Output);
        Assert.Equal("Completed", WorkerTests.State(resumed));
        Assert.Equal([$"worker '{worker}' started the job", $"worker '{worker}' started the job"], Starts(resumed));
        Assert.Contains($"Resuming {borrower}/lent/{run} from the checkpoint at step {step}", only.Output);
        // One device: the borrower's run started again only after the owner's had completed.
        static DateTimeOffset At(JsonNode run, Func<JsonNode, bool> which) => DateTimeOffset.Parse((string)run["transitions"]!.AsArray().Select(t => t!).Last(which)["at"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(At(mine, t => (string)t["to"]! == "Completed") <= At(resumed, t => ((string)t["reason"]!).EndsWith("' started the job", StringComparison.Ordinal)));

        Assert.True((await borrowing.PostJson("api/v1/experiments", new { spec = WorkerTests.TinySpec("straight", steps: 8, every: 2), priorityClass = "normal" })).IsSuccessStatusCode);
        var straight = await WorkerTests.WaitForRun(borrowing, "straight", run, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => only.Output);
        Assert.Equal("Completed", WorkerTests.State(straight));
        AssertScheduledCheckpointsAreTheUninterruptedRuns(resumed, straight);
    }

    /// <summary>
    /// A preempted and resumed run of 8 steps, checkpointed every 2, against the same spec run without interruption: every
    /// scheduled checkpoint is the same weights, optimizer and sampler state (the same manifest hash), and the final scores are equal.
    /// </summary>
    private static void AssertScheduledCheckpointsAreTheUninterruptedRuns(JsonNode resumed, JsonNode straight)
    {
        var a = Scheduled(resumed);
        var b = Scheduled(straight);
        Assert.Equal([2L, 4L, 6L, 8L], a.Select(c => (long)c["step"]!));
        Assert.Equal(b.Select(c => (string)c["sha256"]!), a.Select(c => (string)c["sha256"]!));
        Assert.Equal(b[^1]["scores"]!.ToJsonString(), a[^1]["scores"]!.ToJsonString());
    }

    /// <summary>
    /// Each training step's added delay. The preemption has to reach the victim's job while it still trains: the test sees the
    /// step-2 checkpoint, submits the other run, and the pool preempts on the worker's next lease request. With 400 ms a step
    /// the 6 steps left (2.4 s) were once too few under CI load: the job completed first and nothing was preempted.
    /// </summary>
    private const string SlowStepMs = "1500";

    /// <summary>The checkpoints on the run's schedule, without the one saved for a preemption.</summary>
    private static List<JsonNode> Scheduled(JsonNode run) => [.. run["checkpoints"]!.AsArray().Select(c => c!).Where(c => !(bool)c["forPreemption"]!)];

    /// <summary>The run's job starts, in order, each naming the worker it ran on (a return from evaluation is not a start).</summary>
    internal static List<string> Starts(JsonNode run) =>
        [.. run["transitions"]!.AsArray().Select(t => (string)t!["reason"]!).Where(r => r.EndsWith("' started the job", StringComparison.Ordinal))];
}
