using ForgetLab.Contracts.Board;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Runs;
using ForgetLab.Grains.Common;

namespace ForgetLab.Grains.Tests;

[Collection(GrainsCollection.Name)]
public sealed class ExperimentTests(GrainsCluster cluster)
{
    [Fact]
    public async Task AValidSpecExpandsIntoQueuedRuns()
    {
        var tenant = Callers.NewTenant("exp");
        var experiment = Experiment(tenant, "forgetting");

        var reply = await experiment.Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("forgetting", runs: 3)));

        Assert.Equal(ReplyStatus.Ok, reply.Status);
        Assert.Equal([Specs.RunName(1), Specs.RunName(2), Specs.RunName(3)], reply.Value!.RunIds);
        var runs = (await experiment.ListRuns(Callers.Viewer(tenant))).Value;
        Assert.All(runs, r => Assert.Equal(RunState.Queued, r.State));
        var run = await cluster.Client.GetGrain<IRunGrain>(GrainKeys.Run(tenant, "forgetting", Specs.RunName(2))).Get(Callers.Viewer(tenant));
        Assert.Equal(2, run.Value!.Recipe.Seed);
    }

    [Fact]
    public async Task ABadSpecReturnsEveryErrorAndStoresNothing()
    {
        var tenant = Callers.NewTenant("exp");
        var experiment = Experiment(tenant, "broken");
        var spec = Specs.Valid("broken").Replace("steps: 50", "steps: -5").Replace("task: conflicting_facts", "task: unheard_of");

        var reply = await experiment.Submit(Callers.Member(tenant), new ExperimentSubmission(spec));

        Assert.Equal(ReplyStatus.Invalid, reply.Status);
        Assert.Contains(reply.Errors, e => e.Path == "train.steps" && e.Line > 0);
        Assert.Contains(reply.Errors, e => e.Path == "target.task");
        Assert.Equal(ReplyStatus.NotFound, (await experiment.Get(Callers.Member(tenant))).Status);
        Assert.Equal(ReplyStatus.NotFound, (await experiment.ListRuns(Callers.Member(tenant))).Status);
        var run = cluster.Client.GetGrain<IRunGrain>(GrainKeys.Run(tenant, "broken", Specs.RunName(1)));
        Assert.Equal(ReplyStatus.NotFound, (await run.Get(Callers.Member(tenant))).Status);

        // Nothing stored means the name is still free for a corrected spec.
        Assert.Equal(ReplyStatus.Ok, (await experiment.Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("broken")))).Status);
    }

    [Fact]
    public async Task MalformedYamlAndAMismatchedNameAreInvalid()
    {
        var tenant = Callers.NewTenant("exp");

        var malformed = await Experiment(tenant, "yaml").Submit(Callers.Member(tenant), new ExperimentSubmission("name: [unclosed"));
        var misnamed = await Experiment(tenant, "one").Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("another")));
        var badKind = await Experiment(tenant, "kind").Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("kind"), DeviceKind: "tpu"));

        Assert.Equal(ReplyStatus.Invalid, malformed.Status);
        Assert.Contains("malformed YAML", malformed.Errors[0].Message);
        Assert.Equal("name", Assert.Single(misnamed.Errors).Path);
        Assert.Equal("deviceKind", Assert.Single(badKind.Errors).Path);
    }

    [Fact]
    public async Task TheTenantsDirectoryListsValidSubmissionsOnceAndOnlyToItsTenant()
    {
        var tenant = Callers.NewTenant("dir");
        var directory = cluster.Client.GetGrain<IExperimentDirectoryGrain>(tenant);
        await Experiment(tenant, "first").Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("first")));
        await Experiment(tenant, "first").Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("first")));
        await Experiment(tenant, "bad").Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("bad").Replace("steps: 50", "steps: -5")));
        await Experiment(tenant, "second").Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("second")));

        var mine = await directory.List(Callers.Viewer(tenant));
        var theirs = await directory.List(Callers.Member(Callers.NewTenant("dir")));

        Assert.Equal(["first", "second"], mine.Value);
        Assert.Equal(ReplyStatus.NotFound, theirs.Status);
    }

    [Fact]
    public async Task SubmittingTheSameSpecAgainIsHarmlessAndAnotherSpecConflicts()
    {
        var tenant = Callers.NewTenant("exp");
        var experiment = Experiment(tenant, "again");
        await experiment.Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("again", runs: 2)));

        var same = await experiment.Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("again", runs: 2)));
        var other = await experiment.Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("again", runs: 3)));

        Assert.Equal(ReplyStatus.Ok, same.Status);
        Assert.Equal(2, same.Value!.RunIds.Length);
        Assert.Equal(ReplyStatus.Conflict, other.Status);
    }

    [Fact]
    public async Task CancellingAnExperimentCancelsItsRunsAndPublishingSetsTheFlag()
    {
        var tenant = Callers.NewTenant("exp");
        var experiment = Experiment(tenant, "stop");
        await experiment.Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("stop", runs: 2)));

        Assert.Equal(ReplyStatus.Forbidden, (await experiment.Cancel(Callers.Viewer(tenant), "no")).Status);
        var cancelled = await experiment.Cancel(Callers.Member(tenant), "wrong learning rates");
        var published = await experiment.SetPublished(Callers.Member(tenant), true);

        Assert.True(cancelled.Value!.Cancelled);
        Assert.True(published.Value!.Published);
        var runs = (await experiment.ListRuns(Callers.Viewer(tenant))).Value;
        Assert.All(runs, r => Assert.Equal(RunState.Cancelled, r.State));
        var run = await cluster.Client.GetGrain<IRunGrain>(GrainKeys.Run(tenant, "stop", Specs.RunName(1))).Get(Callers.Viewer(tenant));
        Assert.Contains("wrong learning rates", run.Value!.Transitions[^1].Reason);
    }

    [Fact]
    public async Task PublishingPutsTheExperimentOnTheBoardOnceAndUnpublishingTakesItOff()
    {
        var tenant = Callers.NewTenant("board");
        var experiment = Experiment(tenant, "shown");
        await experiment.Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("shown", runs: 1)));
        var board = cluster.Client.GetGrain<IBoardGrain>(IBoardGrain.Key);

        Assert.Equal(ReplyStatus.Forbidden, (await experiment.SetPublished(Callers.Viewer(tenant), true)).Status);
        Assert.Equal(ReplyStatus.NotFound, (await experiment.SetPublished(Callers.Member(Callers.NewTenant("other")), true)).Status);
        Assert.False(await board.IsPublished(tenant, "shown"));

        await experiment.SetPublished(Callers.Member(tenant), true);
        await experiment.SetPublished(Callers.Member(tenant), true);
        Assert.True(await board.IsPublished(tenant, "shown"));
        Assert.Single(await board.List(), e => e.TenantId == tenant && e.ExperimentId == "shown");

        await experiment.SetPublished(Callers.Member(tenant), false);
        Assert.False(await board.IsPublished(tenant, "shown"));
        Assert.DoesNotContain(await board.List(), e => e.TenantId == tenant);
    }

    [Fact]
    public async Task ListingAnExperimentWhoseRunsEndedWakesNoneOfTheirGrains()
    {
        var tenant = Callers.NewTenant("exp");
        var experiment = Experiment(tenant, "ended");
        await experiment.Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("ended", runs: 3)));
        await experiment.Cancel(Callers.Member(tenant), "done with it");
        var before = (await experiment.ListRuns(Callers.Viewer(tenant))).Value;

        // As after a server start: nothing active, the run grains' state only in storage.
        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        var after = await experiment.ListRuns(Callers.Viewer(tenant));

        Assert.Equal(ReplyStatus.Ok, after.Status);
        Assert.Equal(before, after.Value);
        Assert.All(after.Value, r => Assert.Equal(RunState.Cancelled, r.State));
        var active = await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(null, null, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(active, g => g.GrainId.Key.ToString()!.StartsWith($"{tenant}/ended/", StringComparison.Ordinal) && g.GrainType.Contains("RunGrain", StringComparison.Ordinal));
        Assert.Equal(ReplyStatus.NotFound, (await experiment.ListRuns(Callers.Viewer(Callers.NewTenant("other")))).Status);
    }

    private IExperimentGrain Experiment(string tenant, string name) =>
        cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, name));
}
