using System.Net;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The base model's baseline is evaluated once and shared: a second experiment on the same built-in
/// base — another tenant's, run by another worker with an empty model cache — takes the recorded
/// baseline from the platform instead of evaluating the base again, and shows the same table.
/// </summary>
public sealed class BaselineSharingTests(PlatformFixture platform)
{
    [Fact]
    public async Task ASecondExperimentOnAnotherWorkerReusesTheBaselineTheFirstRecorded()
    {
        var cluster = $"base-{Guid.NewGuid():N}"[..18];
        var storage = platform.Azurite.ConnectionString;
        await using var server = await ServerInstance.StartAsync(storage, cluster, PlatformFixture.AdminKey);
        var world = WorkerTests.SmallWorld();
        var (_, firstKey) = await PlatformFixture.NewTenant(server, "first");
        var (secondTenant, secondKey) = await PlatformFixture.NewTenant(server, "second");
        using var first = server.Client(firstKey);
        using var second = server.Client(secondKey);
        var run = WorkerTests.RunName(3);

        string firstOutput;
        await using (var worker = await WorkerProcess.StartAsync(storage, cluster, world, Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await first.Get("api/v1/experiments/none/baseline")).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await first.SubmitYaml(WorkerTests.TinySpec("base-a", steps: 3, every: 3))).StatusCode);
            var done = await WorkerTests.WaitForRun(first, "base-a", run, r => (string)r["state"]! is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => worker.Output);
            Assert.Equal("Completed", (string)done["state"]!);
            firstOutput = worker.Output;
        }

        // A fresh worker with an empty model cache: it pre-trains the base again, but takes its baseline from the platform.
        await using var other = await WorkerProcess.StartAsync(storage, cluster, world, Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w2");
        Assert.Equal(HttpStatusCode.Created, (await second.SubmitYaml(WorkerTests.TinySpec("base-b", steps: 3, every: 3))).StatusCode);
        var secondDone = await WorkerTests.WaitForRun(second, "base-b", run, r => (string)r["state"]! is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => other.Output);
        Assert.Equal("Completed", (string)secondDone["state"]!);

        Assert.Contains("0 of 3 suites reused from the platform", firstOutput);
        Assert.Equal(3, CountOf(firstOutput, "baseline recorded for"));
        Assert.Contains("3 of 3 suites reused from the platform", other.Output);
        Assert.Equal(3, CountOf(other.Output, "baseline reused for"));
        Assert.DoesNotContain("baseline recorded for", other.Output);

        var (status, firstTable) = await first.Get("api/v1/experiments/base-a/baseline").Json();
        var (secondStatus, secondTable) = await second.Get("api/v1/experiments/base-b/baseline").Json();
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (status, secondStatus));
        Assert.True((bool)firstTable!["shared"]!);
        Assert.Equal(3, firstTable["suites"]!.AsArray().Count);
        Assert.Equal(firstTable.ToJsonString(), secondTable!.ToJsonString());
        // Each report's base is the recorded baseline.
        var firstReport = (await first.Get("api/v1/experiments/base-a/report").Json()).Body!;
        var secondReport = (await second.Get("api/v1/experiments/base-b/report").Json()).Body!;
        Assert.Equal(firstReport["base"]!["suites"]!.ToJsonString(), secondReport["base"]!["suites"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await second.Get("api/v1/experiments/base-a/baseline")).StatusCode);

        // The second tenant registers that base as its own model and fine-tunes it by name: the worker
        // downloads it, and its baseline is the tenant's own (keyed by the model's files), not the shared one.
        var (registered, model) = await second.PostJson("api/v1/models", new { name = "mine", experiment = "base-b" }).Json();
        Assert.Equal(HttpStatusCode.Created, registered);
        Assert.Equal("experiment:base-b", (string)model!["source"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await first.Get("api/v1/models/mine")).StatusCode);
        var tiny = WorkerTests.TinySpec("base-c", steps: 3, every: 3);
        var byRef = tiny[..tiny.IndexOf("base:", StringComparison.Ordinal)] + "base:\n  model_ref: mine\n" + tiny[tiny.IndexOf("target:", StringComparison.Ordinal)..];
        Assert.Equal(HttpStatusCode.Created, (await second.SubmitYaml(byRef)).StatusCode);
        var thirdDone = await WorkerTests.WaitForRun(second, "base-c", run, r => (string)r["state"]! is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => other.Output);
        Assert.Equal("Completed", (string)thirdDone["state"]!);
        Assert.Contains("Downloaded model mine", other.Output);
        var (ownStatus, own) = await second.Get("api/v1/experiments/base-c/baseline").Json();
        Assert.Equal(HttpStatusCode.OK, ownStatus);
        Assert.False((bool)own!["shared"]!);
        Assert.NotEqual((string)firstTable["modelHash"]!, (string)own["modelHash"]!);
        var ownReport = (await second.Get("api/v1/experiments/base-c/report").Json()).Body!;
        Assert.Equal($"{secondTenant}/mine", (string)ownReport["base"]!["model_hash"]!); // how the board groups it: never with another tenant's "mine"
        // Same weights as base-b's base, so the same scores, evaluated once more under the tenant's own key.
        Assert.Equal(secondTable["suites"]!.AsArray().Select(e => (double)e!["score"]!), own["suites"]!.AsArray().Select(e => (double)e!["score"]!));
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}
