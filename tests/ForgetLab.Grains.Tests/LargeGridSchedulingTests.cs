using System.Collections.Immutable;
using System.Diagnostics;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Models;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Grains.Experiments;

namespace ForgetLab.Grains.Tests;

/// <summary>
/// A grid larger than one batch, on the pool cluster: Submit queues the first batch itself, and the experiment grain's timer
/// queues the rest, batch by batch, into the pool.
/// </summary>
[Collection(PoolCollection.Name)]
public sealed class LargeGridSchedulingTests(PoolCluster cluster)
{
    /// <summary>How long the rest of a 1,000-run grid may take to be queued before the test gives up (a bound, not a measurement).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task AThousandRunGridIsQueuedBatchByBatchAndEveryRunReachesThePoolQueueOnce()
    {
        await using var scenario = new PoolScenario(cluster);
        var tenant = await scenario.Tenant("grid", weight: 1);
        var view = await scenario.Submit(tenant, "thousand", runs: 1000);
        var experiment = scenario.Experiment(tenant, "thousand");
        var viewer = Callers.Viewer(tenant);

        Assert.Equal(1000, view.RunIds.Length);
        var listed = (await experiment.ListRuns(viewer)).Value;
        Assert.Equal(view.RunIds, listed.Select(r => r.RunId));
        Assert.All(listed.Take(ExperimentGrain.RunBatch), r => Assert.Equal(RunState.Queued, r.State));
        Assert.All(listed, r => Assert.Contains(r.State, new[] { RunState.Pending, RunState.Queued }));

        // The grain answers between batches, and in the end every run is Queued.
        var waited = Stopwatch.StartNew();
        while (listed.Any(r => r.State != RunState.Queued))
        {
            Assert.True(waited.Elapsed < Patience, $"{listed.Count(r => r.State != RunState.Queued)} runs still not queued after {Patience}");
            Assert.Equal(ReplyStatus.Ok, (await experiment.Get(viewer)).Status);
            await Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
            listed = (await experiment.ListRuns(viewer)).Value;
        }

        var queued = await QueuedKeys(scenario.Pool, tenant, "thousand");
        Assert.Equal(view.RunIds.Select(id => GrainKeys.Run(tenant, "thousand", id)).Order(StringComparer.Ordinal), queued.Order(StringComparer.Ordinal));
    }

    internal static async Task<ImmutableArray<string>> QueuedKeys(IGpuPoolGrain pool, string tenant, string experiment)
    {
        var prefix = GrainKeys.Experiment(tenant, experiment) + "/";
        return [.. (await pool.GetSnapshot()).Queued.Select(q => q.RunKey).Where(k => k.StartsWith(prefix, StringComparison.Ordinal))];
    }
}

/// <summary>
/// A grid larger than one batch, on a cluster whose timer waits an hour between batches: what a submit leaves between batches
/// is seen as it is, and each repeated submit schedules one batch more, going on from the progress saved.
/// </summary>
[Collection(HeldSchedulingCollection.Name)]
public sealed class HeldSchedulingTests(HeldSchedulingCluster cluster)
{
    private const int Runs = 250;

    [Fact]
    public async Task SubmitQueuesTheFirstBatchAndAnswersWhileTheRestWaitsPendingAndEachResubmitGoesOnFromTheSavedBatch()
    {
        var tenant = Callers.NewTenant("held");
        var experiment = Experiment(tenant, "big");
        var submission = new ExperimentSubmission(Specs.Valid("big", Runs), DeviceKind: "cuda");
        var pool = cluster.Client.GetGrain<IGpuPoolGrain>(GrainKeys.Pool);

        var submitted = await experiment.Submit(Callers.Member(tenant), submission);

        Assert.Equal(ReplyStatus.Ok, submitted.Status);
        Assert.Equal(Runs, submitted.Value!.RunIds.Length);
        Assert.Equal(ReplyStatus.Ok, (await experiment.Get(Callers.Viewer(tenant))).Status);
        Assert.Equal(ScheduledThrough(ExperimentGrain.RunBatch), await States(experiment, tenant));
        Assert.Equal(Keys(tenant, "big", ExperimentGrain.RunBatch), await Queued(pool, tenant));

        // Progress is in the grain's state, not its activation: after the activation is collected, the next batch is the second.
        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        Assert.Equal(ReplyStatus.Ok, (await experiment.Submit(Callers.Member(tenant), submission)).Status);
        Assert.Equal(ScheduledThrough(2 * ExperimentGrain.RunBatch), await States(experiment, tenant));

        Assert.Equal(ReplyStatus.Ok, (await experiment.Submit(Callers.Member(tenant), submission)).Status);
        Assert.Equal(ScheduledThrough(Runs), await States(experiment, tenant));
        Assert.Equal(Keys(tenant, "big", Runs), await Queued(pool, tenant));

        // Scheduled: a further submit changes nothing.
        Assert.Equal(ReplyStatus.Ok, (await experiment.Submit(Callers.Member(tenant), submission)).Status);
        Assert.Equal(Keys(tenant, "big", Runs), await Queued(pool, tenant));
        await experiment.Cancel(Callers.Member(tenant), "test over");
    }

    [Fact]
    public async Task CancellingBetweenBatchesCancelsTheQueuedRunsAndCreatesNoMore()
    {
        var tenant = Callers.NewTenant("held");
        var experiment = Experiment(tenant, "stopped");
        var submission = new ExperimentSubmission(Specs.Valid("stopped", Runs), DeviceKind: "cuda");
        var pool = cluster.Client.GetGrain<IGpuPoolGrain>(GrainKeys.Pool);
        Assert.Equal(ReplyStatus.Ok, (await experiment.Submit(Callers.Member(tenant), submission)).Status);
        Assert.Equal(ExperimentGrain.RunBatch, (await Queued(pool, tenant)).Length);

        var cancelled = await experiment.Cancel(Callers.Member(tenant), "too many runs");

        Assert.Equal(ReplyStatus.Ok, cancelled.Status);
        // A resubmit would go on with scheduling if anything did: it must not, once cancelled.
        Assert.Equal(ReplyStatus.Ok, (await experiment.Submit(Callers.Member(tenant), submission)).Status);
        var listed = (await experiment.ListRuns(Callers.Viewer(tenant))).Value;
        Assert.Equal(Runs, listed.Length);
        Assert.All(listed, r => Assert.Equal(RunState.Cancelled, r.State));
        Assert.Empty(await Queued(pool, tenant));
        var first = await cluster.Client.GetGrain<IRunGrain>(GrainKeys.Run(tenant, "stopped", Specs.RunName(1))).Get(Callers.Viewer(tenant));
        Assert.Equal(RunState.Cancelled, first.Value!.State);
        var never = cluster.Client.GetGrain<IRunGrain>(GrainKeys.Run(tenant, "stopped", Specs.RunName(ExperimentGrain.RunBatch + 1)));
        Assert.Equal(ReplyStatus.NotFound, (await never.Get(Callers.Viewer(tenant))).Status);
    }

    [Fact]
    public async Task AnEvaluationGroupLargerThanABatchHandsItsLeadToThePoolOnlyOnceEveryMemberExists()
    {
        const int entries = ExperimentGrain.RunBatch + 50;
        var tenant = Callers.NewTenant("held");
        var registered = await cluster.Client.GetGrain<IModelRegistryGrain>(GrainKeys.Tenant(tenant)).Register(Callers.Member(tenant), new ModelRecord(
            "tuned",
            new ModelArchitecture("gpt2", 512, 32, 32, 1, 2, 50_000),
            [new ModelFile("config.json", 120, "aa"), new ModelFile("model.safetensors", 200_000, "bb"), new ModelFile("vocab.json", 900, "cc")],
            $"checkpoints/{tenant}/models/tuned/",
            "upload",
            DateTimeOffset.UnixEpoch));
        Assert.Equal(ReplyStatus.Ok, registered.Status);
        var grid = Specs.Valid("group");
        var spec = grid[..(grid.IndexOf("\ntrain:", StringComparison.Ordinal) + 1)] + "evaluate:\n" +
            string.Concat(Enumerable.Range(1, entries).Select(i => $"  - {{ name: entry-{i}, model_ref: tuned }}\n"));
        var experiment = Experiment(tenant, "group");
        var submission = new ExperimentSubmission(spec, DeviceKind: "cuda");
        var pool = cluster.Client.GetGrain<IGpuPoolGrain>(GrainKeys.Pool);

        var submitted = await experiment.Submit(Callers.Member(tenant), submission);

        Assert.True(submitted.Status == ReplyStatus.Ok, string.Join("; ", submitted.Errors.Select(e => $"{e.Line} {e.Path}: {e.Message}")));
        var listed = (await experiment.ListRuns(Callers.Viewer(tenant))).Value;
        Assert.Equal(Enumerable.Range(1, entries).Select(i => i <= ExperimentGrain.RunBatch ? RunState.Queued : RunState.Pending), listed.Select(r => r.State));
        Assert.Empty(await Queued(pool, tenant));

        Assert.Equal(ReplyStatus.Ok, (await experiment.Submit(Callers.Member(tenant), submission)).Status);
        Assert.All((await experiment.ListRuns(Callers.Viewer(tenant))).Value, r => Assert.Equal(RunState.Queued, r.State));
        Assert.Equal([GrainKeys.Run(tenant, "group", "entry-1")], await Queued(pool, tenant));
        await experiment.Cancel(Callers.Member(tenant), "test over");
    }

    private IExperimentGrain Experiment(string tenant, string name) => cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, name));

    /// <summary>Every run's state when the first <paramref name="scheduled"/> runs were queued and the others not yet created.</summary>
    private static ImmutableArray<RunState> ScheduledThrough(int scheduled) =>
        [.. Enumerable.Range(1, Runs).Select(seed => seed <= scheduled ? RunState.Queued : RunState.Pending)];

    private static async Task<ImmutableArray<RunState>> States(IExperimentGrain experiment, string tenant) =>
        [.. (await experiment.ListRuns(Callers.Viewer(tenant))).Value.Select(r => r.State)];

    private static ImmutableArray<string> Keys(string tenant, string experiment, int runs) =>
        [.. Enumerable.Range(1, runs).Select(seed => GrainKeys.Run(tenant, experiment, Specs.RunName(seed))).Order(StringComparer.Ordinal)];

    private static async Task<ImmutableArray<string>> Queued(IGpuPoolGrain pool, string tenant) =>
        [.. (await pool.GetSnapshot()).Queued.Select(q => q.RunKey).Where(k => k.StartsWith(tenant + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}
