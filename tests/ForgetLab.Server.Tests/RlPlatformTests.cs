using System.Net;
using System.Text.Json.Nodes;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Reward fine-tuning through the platform: a <c>train.rl</c> spec submitted to a real server is trained by a real
/// worker (a job in a child process), and its reward, KL, entropy and length per checkpoint come back through the
/// report API and the checkpoint report API — what the run page's curves and the Prometheus gauges read.
/// </summary>
public sealed class RlPlatformTests(PlatformFixture platform)
{
    [Fact]
    public async Task AnRlSpecIsTrainedByAWorkerAndItsRewardAndKlAreInTheReportApi()
    {
        var cluster = $"rl-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (_, key) = await PlatformFixture.NewTenant(server, "rl");
        await using var worker = await WorkerProcess.StartAsync(
            platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(), Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1");
        using var client = server.Client(key);

        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(TinySpecs.Rl("rl-tiny")).Json()).Status);
        var (_, runs) = await client.Get("api/v1/experiments/rl-tiny/runs").Json();
        var name = (string)Assert.Single(runs!.AsArray())!["runId"]!;
        Assert.EndsWith("-grpo-b4e-2", name);
        var run = await WorkerTests.WaitForRun(client, "rl-tiny", name, r => WorkerTests.State(r) is "Completed" or "Failed", TimeSpan.FromMinutes(3), () => worker.Output);
        Assert.Equal("Completed", WorkerTests.State(run));

        // report.json as the API serves it: every checkpoint carries rl, with both reward components on both prompt sets.
        var (status, report) = await client.Get("api/v1/experiments/rl-tiny/report").Json();
        Assert.Equal(HttpStatusCode.OK, status);
        var reported = Assert.Single(report!["runs"]!.AsArray())!;
        Assert.Equal("grpo", (string)reported["hyperparameters"]!["rl_algorithm"]!);
        var checkpoints = reported["checkpoints"]!.AsArray();
        Assert.Equal([2L, 4L], checkpoints.Select(c => (long)c!["step"]!));
        foreach (var c in checkpoints)
        {
            var rl = c!["rl"] ?? throw new Xunit.Sdk.XunitException($"checkpoint {c["step"]} has no rl: {c.ToJsonString()}");
            foreach (var side in new[] { "train_reward", "held_out_reward" })
            {
                var reward = rl[side]!;
                Assert.InRange((double)reward["mean"]!, 0, 1.5);
                Assert.Equal(["correctness", "length"], reward["components"]!.AsObject().Select(p => p.Key).Order());
                Assert.True((int)reward["completions"]! > 0);
            }
            Assert.True((double)rl["kl_target_prompts"]! >= 0 && (double)rl["kl_general_text"]! >= 0, rl.ToJsonString());
            Assert.True((double)rl["entropy"]! >= 0 && (double)rl["response_length"]! >= 1, rl.ToJsonString());
            Assert.Equal(0.04, (double)rl["beta"]!, 6);
        }

        // The checkpoint report API carries the same measurements.
        var (cpStatus, checkpoint) = await client.Get($"api/v1/experiments/rl-tiny/runs/{name}/checkpoints/4/report").Json();
        Assert.Equal(HttpStatusCode.OK, cpStatus);
        var viewRl = checkpoint!["rl"] ?? throw new Xunit.Sdk.XunitException($"the checkpoint report has no rl: {checkpoint.ToJsonString()}");
        var fromReport = checkpoints[^1]!["rl"]!;
        Assert.Equal((double)fromReport["kl_target_prompts"]!, (double)viewRl["klTargetPrompts"]!, 9);
        Assert.Equal((double)fromReport["train_reward"]!["mean"]!, (double)viewRl["trainReward"]!["mean"]!, 9);
    }
}
