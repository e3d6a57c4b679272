using System.Net;
using ForgetLab.Grains.Hosting;
using ForgetLab.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Grain state is not bounded by a storage row: the pool's queue, an experiment's grid and a tenant's lists grow with what
/// users submit (a grid may expand to 1,000 runs, and nothing caps the pool's queue), so a state of several MiB must be
/// written, and read back by a new server, whole. An Azure Table entity holds at most 1 MiB, which is why grain state lives in blobs.
/// </summary>
public sealed class GrainStateSizeTests(PlatformFixture platform)
{
    private const int Experiments = 5;
    private const int RunsEach = 1000;

    [Fact]
    public async Task APoolQueueOfFiveThousandRunsIsWrittenAndReadBackAfterARestart()
    {
        var cluster = $"size-{Guid.NewGuid():N}"[..13];
        string key;
        await using (var first = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey,
                         "--ForgetLab:RateLimits:ExpensiveBurst", "1000000"))
        {
            (_, key) = await PlatformFixture.NewTenant(first, "size");
            using var client = first.Client(key);
            for (var i = 0; i < Experiments; i++)
            {
                var submitted = await client.SubmitYaml(Grid($"wide{i}"));
                Assert.True(submitted.StatusCode == HttpStatusCode.Created, $"experiment {i}: {(int)submitted.StatusCode} {await submitted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
            }
            Assert.Equal(Experiments * RunsEach, await Queued(client));
        }

        await using var second = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey);
        using var again = second.Client(key);
        Assert.Equal(Experiments * RunsEach, await Queued(again));
        var runs = (await again.Get($"api/v1/experiments/wide{Experiments - 1}/runs").Json()).Body!.AsArray();
        Assert.Equal(RunsEach, runs.Count);
        Assert.All(runs, r => Assert.Equal("Queued", (string)r!["state"]!));
    }

    [Fact]
    public async Task StateAnEarlierVersionStoredInATableRowIsReadMovedToABlobOnItsFirstWriteAndTheRowDeleted()
    {
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, $"move-{Guid.NewGuid():N}"[..13], PlatformFixture.AdminKey);
        var storage = server.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
        var table = server.Services.GetRequiredKeyedService<IGrainStorage>(SiloHosting.LegacyTableGrainStorage);
        var blobs = server.Services.GetRequiredKeyedService<IGrainStorage>(SiloHosting.BlobGrainStorage);
        var grain = GrainId.Create("probe", Guid.NewGuid().ToString("N"));
        await table.WriteStateAsync("probe", grain, new GrainState<ProbeState>(new ProbeState { Text = "written by the table version" }));

        var read = new GrainState<ProbeState>();
        await storage.ReadStateAsync("probe", grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal("written by the table version", read.State!.Text);

        read.State = new ProbeState { Text = "written after the move" };
        await storage.WriteStateAsync("probe", grain, read);
        var row = new GrainState<ProbeState>();
        await table.ReadStateAsync("probe", grain, row);
        Assert.False(row.RecordExists);
        var blob = new GrainState<ProbeState>();
        await blobs.ReadStateAsync("probe", grain, blob);
        Assert.Equal("written after the move", blob.State!.Text);
        var again = new GrainState<ProbeState>();
        await storage.ReadStateAsync("probe", grain, again);
        Assert.Equal(("written after the move", true), (again.State!.Text, again.RecordExists));

        // A grain never stored anywhere reads as new, and a state far past a table entity's 1 MiB round-trips.
        var fresh = GrainId.Create("probe", Guid.NewGuid().ToString("N"));
        var none = new GrainState<ProbeState>();
        await storage.ReadStateAsync("probe", fresh, none);
        Assert.False(none.RecordExists);
        var large = new GrainState<ProbeState>(new ProbeState { Text = string.Concat(Enumerable.Range(0, 300_000).Select(i => $"{i:D9};")) });
        await storage.WriteStateAsync("probe", fresh, large);
        var back = new GrainState<ProbeState>();
        await storage.ReadStateAsync("probe", fresh, back);
        Assert.Equal(large.State!.Text, back.State!.Text);
    }

    private static async Task<int> Queued(HttpClient client)
    {
        var usage = await client.Get("api/v1/usage").Json();
        Assert.Equal(HttpStatusCode.OK, usage.Status);
        return (int)usage.Body!["runsQueued"]!;
    }

    /// <summary>One method, 1,000 seeds: the largest grid a spec may expand to.</summary>
    private static string Grid(string name) => Specs.Valid(name)
        .Replace("    - { type: lora, rank: 8, alpha: 16 }\n", "")
        .Replace("  seed: [1]\n", $"  seed: [{string.Join(", ", Enumerable.Range(1, RunsEach))}]\n");

    /// <summary>A grain state of the test's own, stored as the platform's are.</summary>
    [GenerateSerializer]
    public sealed class ProbeState
    {
        [Id(0)] public string Text { get; set; } = "";
    }
}
