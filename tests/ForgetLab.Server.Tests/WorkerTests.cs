using System.Net;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The platform end to end: real Azurite, a real server and real worker processes that run each job
/// as a child process. A submitted spec is trained and evaluated by a worker, its checkpoints land in
/// Blob storage, and a worker killed mid-run is replaced by another that resumes from the checkpoint
/// and ends exactly where an uninterrupted run does. Each test has its own cluster (its own pool),
/// so the shared server's queued runs never reach these workers.
/// </summary>
public sealed class WorkerTests(PlatformFixture platform)
{
    internal static string TinySpec(string name, int steps, int every, bool knowing = false) => TinySpecs.Grid(name, steps, every, knowing: knowing);

    internal static string RunName(int steps) => $"full-lr1e-3-steps{steps}-seed3";

    /// <summary>24 countries and 6 elements of the built-in world: a base pre-trains on it in about a second.</summary>
    internal static string SmallWorld() => TestWorlds.Small();

    /// <summary>
    /// Polls a run until <paramref name="done"/> holds. <paramref name="timeout"/> is the budget on an idle
    /// machine; it is stretched by the machine's load (load average per core, between 1× and 5×), because on a
    /// shared machine at load 60 the same job runs many times slower, and a fixed wait then fails a correct run.
    /// A wrong run still fails, only later.
    /// </summary>
    internal static async Task<JsonNode> WaitForRun(HttpClient client, string experiment, string run, Func<JsonNode, bool> done, TimeSpan timeout, Func<string> diagnostics)
    {
        timeout *= LoadStretch();
        var deadline = DateTime.UtcNow + timeout;
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await client.Get($"api/v1/experiments/{experiment}/runs/{run}").Json();
            if (status == HttpStatusCode.OK && body is not null)
            {
                last = body;
                if (done(body)) return body;
            }
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"run {experiment}/{run} did not get there in {timeout}; last seen:\n{last?.ToJsonString()}\n\nworker output:\n{diagnostics()}");
    }

    internal static double LoadStretch()
    {
        try
        {
            var perCore = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / Environment.ProcessorCount;
            return Math.Clamp(perCore, 1.0, 5.0);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return 1.0;
        }
    }

    private static bool Running(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    internal static string State(JsonNode run) => (string)run["state"]!;

    private static async Task<List<string>> Blobs(string connectionString, string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in new BlobServiceClient(connectionString).GetBlobContainerClient("checkpoints")
                           .GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, TestContext.Current.CancellationToken))
            names.Add(blob.Name[prefix.Length..]);
        return names;
    }

    [Fact]
    public async Task ASubmittedSpecIsTrainedByAWorkerAndItsCheckpointsAreInBlobStorage()
    {
        var cluster = $"worker-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (tenant, key) = await PlatformFixture.NewTenant(server, "work");
        await using var worker = await WorkerProcess.StartAsync(
            platform.Azurite.ConnectionString, cluster, SmallWorld(), Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1");
        using var client = server.Client(key);

        var submitted = await client.SubmitYaml(TinySpec("tiny", steps: 6, every: 3, knowing: true)).Json();
        Assert.Equal(HttpStatusCode.Created, submitted.Status);
        var run = await WaitForRun(client, "tiny", RunName(6), r => State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => worker.Output);

        Assert.Equal("Completed", State(run));
        Assert.Equal(6, (long)run["lastStep"]!);
        var checkpoints = run["checkpoints"]!.AsArray();
        Assert.Equal([3L, 6L], checkpoints.Select(c => (long)c!["step"]!));
        Assert.All(checkpoints, c =>
        {
            Assert.Equal(3, c!["scores"]!.AsArray().Count);
            Assert.NotNull((string?)c["evaluatedAt"]);
            Assert.Equal($"checkpoints/{tenant}/tiny/{RunName(6)}/step-{(long)c["step"]!}/", (string)c["blobLocation"]!);
        });
        var transitions = run["transitions"]!.AsArray().Select(t => (string)t!["to"]!).ToList();
        Assert.Equal(["Queued", "Leased", "Running", "Evaluating", "Running", "Evaluating", "Running", "Completed"], transitions);
        // The loss curve the Run page draws: at least the reports at the checkpoints, in step order, each loss finite.
        var losses = run["lossHistory"]!.AsArray().Select(p => ((long)p!["step"]!, (double)p["loss"]!)).ToList();
        Assert.Contains(3L, losses.Select(p => p.Item1));
        Assert.Equal(6L, losses[^1].Item1);
        Assert.Equal(losses.Select(p => p.Item1).Order(), losses.Select(p => p.Item1));
        Assert.All(losses, p => Assert.True(double.IsFinite(p.Item2) && p.Item2 > 0));

        var blobs = await Blobs(platform.Azurite.ConnectionString, $"{tenant}/tiny/{RunName(6)}/");
        foreach (var file in new[] { "manifest.json", "model.safetensors", "optimizer.bin", "rng.safetensors", "trainer_state.json", "items.jsonl" })
        {
            Assert.Contains($"step-3/{file}", blobs);
            Assert.Contains($"step-6/{file}", blobs);
        }
        Assert.Contains("run-report.json", blobs);

        // The experiment's report is the lab's report.json, assembled from what the worker uploaded.
        var (status, report) = await client.Get("api/v1/experiments/tiny/report").Json();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("tiny", (string)report!["spec_name"]!);
        var reported = Assert.Single(report["runs"]!.AsArray())!;
        Assert.Equal(RunName(6), (string)reported["name"]!);
        Assert.Equal("completed", (string)reported["status"]!);
        Assert.Equal([3L, 6L], reported["checkpoints"]!.AsArray().Select(c => (long)c!["step"]!));
        Assert.Equal(3, report["base"]!["suites"]!.AsArray().Count);
        var (mdStatus, markdown) = await client.Get("api/v1/experiments/tiny/report?format=markdown").Text();
        Assert.Equal(HttpStatusCode.OK, mdStatus);
        Assert.Contains("| suite | category |", markdown);

        // The drill-down: every item the last checkpoint lost, with what was asked, the base's answer
        // (from the baseline file the worker recorded) and the checkpoint's different one.
        var (_, checkpoint) = await client.Get($"api/v1/experiments/tiny/runs/{RunName(6)}/checkpoints/6/report").Json();
        var forgetting = checkpoint!["suites"]!.AsArray().FirstOrDefault(s => s!["lost"]!.AsArray().Count > 0);
        Assert.True(forgetting is not null, $"the run lost no item on any suite, so there is nothing to drill into: {checkpoint.ToJsonString()}");
        var suiteName = (string)forgetting["suite"]!;
        var (changesStatus, changes) = await client.Get($"api/v1/experiments/tiny/runs/{RunName(6)}/checkpoints/6/changes?suite={suiteName}").Json();
        Assert.Equal(HttpStatusCode.OK, changesStatus);
        var lostItems = changes!.AsArray().Where(c => (bool)c!["lost"]!).ToList();
        Assert.Equal(forgetting["lost"]!.AsArray().Select(id => (string)id!), lostItems.Select(c => (string)c!["itemId"]!));
        Assert.All(lostItems, c =>
        {
            Assert.False(string.IsNullOrEmpty((string?)c!["prompt"]), c.ToJsonString());
            Assert.NotNull((string?)c["baseAnswer"]);
            Assert.NotNull((string?)c["answer"]);
            Assert.NotEqual((string)c["baseAnswer"]!, (string)c["answer"]!);
        });
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Get($"api/v1/experiments/tiny/runs/{RunName(6)}/checkpoints/6/changes").Json()).Status);

        // Another tenant cannot read it: 404, as for an experiment that does not exist.
        var (_, otherKey) = await PlatformFixture.NewTenant(server, "other");
        using var other = server.Client(otherKey);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Get("api/v1/experiments/tiny/report").Json()).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Get($"api/v1/experiments/tiny/runs/{RunName(6)}/checkpoints/6/changes?suite={suiteName}").Json()).Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AWorkerKilledMidRunIsReplacedByOneThatResumesFromTheCheckpointAndEndsWhereAnUninterruptedRunEnds(bool tamperLatest)
    {
        var cluster = $"resume-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey,
            "--ForgetLab:Pool:LeaseTtl", "00:00:04");
        var (tenant, key) = await PlatformFixture.NewTenant(server, "resume");
        using var client = server.Client(key);
        var world = SmallWorld();
        var cache = Directory.CreateTempSubdirectory("forgetlab-cache-").FullName;
        var slow = new Dictionary<string, string> { ["FORGETLAB_JOB_STEP_DELAY_MS"] = "300" };
        var run = RunName(8);

        var first = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, world, cache, $"{cluster}-w1",
            new Dictionary<string, string> { ["FORGETLAB_JOB_STEP_DELAY_MS"] = "700" });
        await client.SubmitYaml(TinySpec("killed", steps: 8, every: 2));
        await WaitForRun(client, "killed", run, r => r["checkpoints"]!.AsArray().Any(c => (long)c!["step"]! == 4), TimeSpan.FromMinutes(3), () => first.Output);
        var orphan = int.Parse(System.Text.RegularExpressions.Regex.Match(first.Output, @"started as process (\d+)").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        first.KillHard();
        await first.DisposeAsync();

        // The job of a worker killed with -9 notices and ends by itself.
        var gone = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (Running(orphan) && DateTime.UtcNow < gone) await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(Running(orphan), $"the killed worker's job (PID {orphan}) is still running");
        Assert.Empty(Directory.GetDirectories(first.WorkDirectory, "step-8", SearchOption.AllDirectories)); // it did not train on to the end

        var resumeStep = 4;
        if (tamperLatest)
        {
            // A corrupted upload: the manifest no longer matches the weights, so step 4 is refused and step 2 is used.
            var blob = new BlobServiceClient(platform.Azurite.ConnectionString).GetBlobContainerClient("checkpoints")
                .GetBlobClient($"{tenant}/killed/{run}/step-4/model.safetensors");
            await blob.UploadAsync(BinaryData.FromString("not the weights"), overwrite: true, TestContext.Current.CancellationToken);
            resumeStep = 2;
        }

        await using var second = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, world, cache, $"{cluster}-w2", slow);
        var resumed = await WaitForRun(client, "killed", run, r => State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => second.Output);

        Assert.Equal("Completed", State(resumed));
        Assert.Equal(2, (int)resumed["attempts"]!);
        Assert.Contains(resumed["transitions"]!.AsArray(), t => ((string?)t!["reason"])?.Contains("lease expired") == true);
        Assert.Contains($"Resuming {tenant}/killed/{run} from the checkpoint at step {resumeStep}", second.Output);
        if (tamperLatest) Assert.Contains("Refusing the checkpoint", second.Output);

        await client.SubmitYaml(TinySpec("straight", steps: 8, every: 2));
        var straight = await WaitForRun(client, "straight", run, r => State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => second.Output);

        Assert.Equal("Completed", State(straight));
        Assert.Equal(1, (int)straight["attempts"]!);
        var a = resumed["checkpoints"]!.AsArray();
        var b = straight["checkpoints"]!.AsArray();
        Assert.Equal([2L, 4L, 6L, 8L], a.Select(c => (long)c!["step"]!));
        Assert.Equal(b.Select(c => (string)c!["sha256"]!), a.Select(c => (string)c!["sha256"]!));  // the same weights, optimizer and RNG at every step
        Assert.Equal(b[^1]!["scores"]!.ToJsonString(), a[^1]!["scores"]!.ToJsonString());

        // A resumed run's report keeps every checkpoint it made, and each checkpoint the run lists has its report.
        var (_, resumedReport) = await client.Get("api/v1/experiments/killed/report").Json();
        Assert.Equal([2L, 4L, 6L, 8L], resumedReport!["runs"]![0]!["checkpoints"]!.AsArray().Select(c => (long)c!["step"]!));
        foreach (var step in new[] { 2, 4, 6, 8 })
            Assert.Equal(HttpStatusCode.OK, (await client.Get($"api/v1/experiments/killed/runs/{run}/checkpoints/{step}/report").Json()).Status);

        // The corrupted upload was replaced when step 4 was trained again.
        var blobs = await Blobs(platform.Azurite.ConnectionString, $"{tenant}/killed/{run}/");
        Assert.Contains("step-8/items.jsonl", blobs);
    }

    [Fact]
    public async Task CancellingARunningRunStopsItsJobAndFreesTheWorkerForTheNextRun()
    {
        var cluster = $"cancel-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (_, key) = await PlatformFixture.NewTenant(server, "stop");
        using var client = server.Client(key);
        await using var worker = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, SmallWorld(),
            Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1", new Dictionary<string, string> { ["FORGETLAB_JOB_STEP_DELAY_MS"] = "300" });

        await client.SubmitYaml(TinySpec("long", steps: 40, every: 20));
        await WaitForRun(client, "long", RunName(40), r => (long)r["lastStep"]! >= 2, TimeSpan.FromMinutes(3), () => worker.Output);
        var cancelled = await client.Post($"api/v1/experiments/long/runs/{RunName(40)}/cancel").Json();
        Assert.Equal(HttpStatusCode.OK, cancelled.Status);

        // The single CPU slot is freed (the job killed, the lease released), so the next run is trained.
        await client.SubmitYaml(TinySpec("next", steps: 4, every: 2));
        var next = await WaitForRun(client, "next", RunName(4), r => State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => worker.Output);

        Assert.Equal("Completed", State(next));
        var stopped = await client.Get($"api/v1/experiments/long/runs/{RunName(40)}").Json();
        Assert.Equal("Cancelled", State(stopped.Body!));
        Assert.True((long)stopped.Body!["lastStep"]! < 40, "the cancelled job did not train to the end");
        Assert.Contains("says stop", worker.Output);
    }

    [Fact]
    public async Task AJobKilledLikeTheOutOfMemoryKillerDoesFailsItsRunAndTheWorkerGoesOn()
    {
        var cluster = $"crash-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (_, key) = await PlatformFixture.NewTenant(server, "crash");
        using var client = server.Client(key);
        await using var worker = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, SmallWorld(),
            Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1", new Dictionary<string, string> { ["FORGETLAB_JOB_STEP_DELAY_MS"] = "300" });

        await client.SubmitYaml(TinySpec("doomed", steps: 40, every: 20));
        await WaitForRun(client, "doomed", RunName(40), r => (long)r["lastStep"]! >= 2, TimeSpan.FromMinutes(3), () => worker.Output);
        var job = System.Text.RegularExpressions.Regex.Match(worker.Output, @"started as process (\d+)").Groups[1].Value;
        System.Diagnostics.Process.Start("kill", ["-9", job])!.WaitForExit();

        var failed = await WaitForRun(client, "doomed", RunName(40), r => State(r) is "Failed" or "Completed", TimeSpan.FromMinutes(1), () => worker.Output);
        Assert.Equal("Failed", State(failed));
        Assert.Contains("exited with code 137", (string)failed["transitions"]!.AsArray()[^1]!["reason"]!);

        await client.SubmitYaml(TinySpec("after", steps: 4, every: 2));
        var after = await WaitForRun(client, "after", RunName(4), r => State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => worker.Output);
        Assert.Equal("Completed", State(after));
    }

    [Fact]
    public async Task AWorkerRestartedUnderTheSameIdGivesBackTheLeasesOfItsEarlierProcessSoTheirRunsResumeAtOnce()
    {
        var cluster = $"again-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey); // leases last 2 min
        var (_, key) = await PlatformFixture.NewTenant(server, "again");
        using var client = server.Client(key);
        var (world, cache) = (SmallWorld(), Directory.CreateTempSubdirectory("forgetlab-cache-").FullName);

        var first = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, world, cache, "same-id",
            new Dictionary<string, string> { ["FORGETLAB_JOB_STEP_DELAY_MS"] = "700" });
        await client.SubmitYaml(TinySpec("restarted", steps: 8, every: 2));
        await WaitForRun(client, "restarted", RunName(8), r => r["checkpoints"]!.AsArray().Any(c => (long)c!["step"]! == 2), TimeSpan.FromMinutes(3), () => first.Output);
        first.KillHard();
        await first.DisposeAsync();

        await using var again = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, world, cache, "same-id");
        var run = await WaitForRun(client, "restarted", RunName(8), r => State(r) is "Completed" or "Failed", TimeSpan.FromSeconds(90), () => again.Output);

        Assert.Equal("Completed", State(run));
        Assert.Equal(2, (int)run["attempts"]!);
        Assert.Contains(run["transitions"]!.AsArray(), t => ((string?)t!["reason"])?.Contains("restarted and no longer runs") == true);
        Assert.Contains("gave back lease", again.Output);
    }
}
