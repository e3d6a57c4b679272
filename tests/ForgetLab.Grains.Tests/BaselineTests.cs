using ForgetLab.Contracts.Baselines;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Grains.Common;

namespace ForgetLab.Grains.Tests;

/// <summary>The base model's baseline: recorded once, first writer wins, shared or private by its key.</summary>
[Collection(GrainsCollection.Name)]
public sealed class BaselineTests(GrainsCluster cluster)
{
    private static string NewHash() => Guid.NewGuid().ToString("N")[..16];

    private static BaselineEntry Entry(string suite, double score, string location, string definition = "0badcafe") =>
        new(suite, "1-" + definition, definition, "knowledge", "exact_match", score, 40, location, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task TheFirstRunToRecordASuiteWinsAndARacingSecondGetsTheStoredEntryBack()
    {
        var baseline = cluster.Client.GetGrain<IBaselineGrain>(GrainKeys.Baseline(null, NewHash()));

        // Two workers racing: both calls are in flight at once; the grain orders them.
        var racing = await Task.WhenAll(
            baseline.Record(Entry("capitals_recall", 93.5, "a.json")),
            baseline.Record(Entry("capitals_recall", 93.5, "b.json")));
        var again = await baseline.Record(Entry("capitals_recall", 93.5, "c.json"));

        Assert.Single(racing, r => r.Accepted);
        var winner = racing.Single(r => r.Accepted).Stored;
        Assert.All(racing, r => Assert.Equal(winner, r.Stored));
        Assert.False(again.Accepted);
        Assert.Equal(winner, again.Stored);
        Assert.Equal([winner], await baseline.Entries());
    }

    [Fact]
    public async Task AnotherDefinitionOfTheSameSuiteIsAnEntryOfItsOwn()
    {
        var baseline = cluster.Client.GetGrain<IBaselineGrain>(GrainKeys.Baseline(null, NewHash()));

        await baseline.Record(Entry("facts", 80, "a.json", definition: "11111111"));
        var other = await baseline.Record(Entry("facts", 20, "b.json", definition: "22222222"));

        Assert.True(other.Accepted);
        Assert.Equal([80.0, 20.0], (await baseline.Entries()).Select(e => e.Score));
    }

    [Fact]
    public async Task ASharedBaselineIsReadByEveryTenantAndAPrivateOneOnlyByItsOwner()
    {
        var (owner, other) = (Callers.NewTenant("owner"), Callers.NewTenant("other"));
        var hash = NewHash();
        var shared = cluster.Client.GetGrain<IBaselineGrain>(GrainKeys.Baseline(null, hash));
        var mine = cluster.Client.GetGrain<IBaselineGrain>(GrainKeys.Baseline(owner, hash));
        await shared.Record(Entry("capitals_recall", 90, "shared.json"));
        await mine.Record(Entry("capitals_recall", 50, "mine.json"));

        var sharedView = (await shared.View(Callers.Viewer(other))).Value!;
        Assert.True(sharedView.Shared);
        Assert.Equal(hash, sharedView.ModelHash);
        Assert.Equal(90, Assert.Single(sharedView.Suites).Score);
        Assert.Equal(50, Assert.Single((await mine.View(Callers.Viewer(owner))).Value!.Suites).Score);
        var refused = await mine.View(Callers.Admin(other));
        var missing = await cluster.Client.GetGrain<IBaselineGrain>(GrainKeys.Baseline(other, NewHash())).View(Callers.Admin(other));
        Assert.Equal(ReplyStatus.NotFound, refused.Status);
        Assert.Equal(ReplyStatus.NotFound, missing.Status);
    }

    [Fact]
    public async Task AnExperimentShowsTheBaselineItsFirstWorkerNotedAndOnlyToItsTenant()
    {
        var tenant = Callers.NewTenant("exp-base");
        var experiment = cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, "based"));
        await experiment.Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("based")));
        var (first, second) = (NewHash(), NewHash());
        await cluster.Client.GetGrain<IBaselineGrain>(GrainKeys.Baseline(null, first)).Record(Entry("target", 0, "t.json"));

        var before = await experiment.GetBaseline(Callers.Viewer(tenant));
        await experiment.NoteBaseline(GrainKeys.Baseline(null, first));
        await experiment.NoteBaseline(GrainKeys.Baseline(null, second)); // a later note changes nothing
        var after = await experiment.GetBaseline(Callers.Viewer(tenant));

        Assert.Equal(ReplyStatus.NotFound, before.Status);
        Assert.Equal(first, after.Value!.ModelHash);
        Assert.Equal(ReplyStatus.NotFound, (await experiment.GetBaseline(Callers.Viewer(Callers.NewTenant("nosy")))).Status);
        await Assert.ThrowsAsync<ArgumentException>(() => experiment.NoteBaseline(GrainKeys.Baseline(Callers.NewTenant("else"), first)));
        await experiment.Cancel(Callers.Member(tenant), "test over");
    }
}
