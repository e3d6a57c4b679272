using System.Net;

namespace ForgetLab.Server.Tests;

/// <summary>Nothing a user submitted lives only in memory: a new server on the same storage serves it, and servers sharing a cluster id share it.</summary>
public sealed class RestartTests(PlatformFixture platform)
{
    [Fact]
    public async Task AnExperimentAndItsKeySurviveAServerRestart()
    {
        var cluster = $"restart-{Guid.NewGuid():N}"[..16];
        string key, tenant;
        await using (var first = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey))
        {
            (tenant, key) = await PlatformFixture.NewTenant(first, "restart");
            using var client = first.Client(key);
            Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(Specs.Valid("durable"))).StatusCode);
            await client.Post("api/v1/experiments/durable/publish");
        }

        await using var second = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        using var again = second.Client(key);
        var experiment = await again.Get("api/v1/experiments/durable").Json();
        var runs = await again.Get("api/v1/experiments/durable/runs").Json();
        var listed = await again.Get("api/v1/experiments").Json();
        var board = await again.Get("api/v1/board").Json();

        Assert.Equal(HttpStatusCode.OK, experiment.Status);
        Assert.True((bool)experiment.Body!["published"]!);
        Assert.Equal(Specs.Valid("durable"), (string)experiment.Body["specText"]!);
        Assert.Equal(Specs.RunNames, runs.Body!.AsArray().Select(r => (string)r!["runId"]!));
        Assert.All(runs.Body.AsArray(), r => Assert.Equal("Queued", (string)r!["state"]!));
        Assert.Equal("durable", (string)listed.Body!.AsArray().Single()!["experimentId"]!);
        // The board's list of published experiments is grain state too.
        Assert.Contains(board.Body!["groups"]!.AsArray().SelectMany(g => g!["experiments"]!.AsArray()),
            e => (string)e!["tenantId"]! == tenant && (string)e["experimentId"]! == "durable");
    }

    [Fact]
    public async Task TwoServersOnLoopbackFormOneClusterAndServeTheSameState()
    {
        var cluster = $"pair-{Guid.NewGuid():N}"[..13];
        await using var first = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        await using var second = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        var (_, key) = await PlatformFixture.NewTenant(first, "pair");
        using var viaFirst = first.Client(key);
        using var viaSecond = second.Client(key);

        var submitted = await viaFirst.SubmitYaml(Specs.Valid("shared")).Json();
        var cancelled = await viaSecond.Post("api/v1/experiments/shared/cancel").Json();
        var seenByFirst = await viaFirst.Get("api/v1/experiments/shared").Json();

        Assert.Equal(HttpStatusCode.Created, submitted.Status);
        Assert.Equal(HttpStatusCode.OK, cancelled.Status);
        Assert.True((bool)seenByFirst.Body!["cancelled"]!);
    }
}
