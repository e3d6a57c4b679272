using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Checkpoints;

namespace ForgetLab.Grains.Tests;

/// <summary>The experiment's search on TestingHost: runs report their rung checkpoint as workers would, the platform clock is moved by hand.</summary>
[Collection(PoolCollection.Name)]
public sealed class HalvingSearchGrainTests(PoolCluster cluster)
{
    // Specs.Valid trains 50 steps with a checkpoint every 25: one rung at 25.
    private const string Search = "\nsearch: { kind: halving, rungs: [25], keep: 1 }\n";

    private static ImmutableArray<SuiteScore> Scores(double gain, double gainLow, double gainHigh, double drop, double dropLow, double dropHigh) =>
    [
        new("target", 5 + gain) { Objective = new SuiteObjective("target_gain", gain, gainLow, gainHigh) },
        new("capitals_recall", 95 - drop) { Objective = new SuiteObjective("forgetting", -drop, -dropHigh, -dropLow) },
    ];

    [Fact]
    public async Task RunsThatReachTheRungFirstWaitPausedWithoutTheirDevicesAndAClearlyDominatedRunStopsOnceTheLastIsScored()
    {
        await using var scenario = new PoolScenario(cluster);
        var (tenant, worker, leased) = await scenario.LeaseRuns("halving", "search", runs: 3, "gpu-h", gpus: 3, Search);
        var grants = leased.OrderBy(g => g.RunKey, StringComparer.Ordinal).ToArray();
        Assert.Equal(3, grants.Length);
        var experiment = scenario.Experiment(tenant, "search");

        // Seed 1 and seed 2 learn and keep their facts alike; seed 3 learns nothing and forgets a third.
        var scores = new[] { Scores(40, 30, 50, 5, 2, 9), Scores(36, 26, 46, 6, 3, 10), Scores(5, -3, 13, 30, 23, 37) };
        for (var i = 0; i < 2; i++)
        {
            await ReportRung(scenario, grants[i], scores[i]);
            Assert.Equal((true, 0), Unpack(await experiment.CheckpointEvaluated(Specs.RunName(i + 1), 25)));
            Assert.Equal(RunState.Paused, await State(scenario, tenant, grants[i]));
            Assert.DoesNotContain((await scenario.Pool.GetSnapshot()).Leases, l => l.LeaseId == grants[i].LeaseId);
        }

        cluster.Clock.Advance(TimeSpan.FromMinutes(3));
        await ReportRung(scenario, grants[2], scores[2]);
        var answer = await experiment.CheckpointEvaluated(Specs.RunName(3), 25);

        Assert.Equal([Specs.RunName(3)], answer.Stopped);
        Assert.False(answer.Paused);
        var view = (await scenario.Run(grants[2]).Get(Callers.Viewer(tenant))).Value!;
        Assert.Equal(RunState.StoppedEarly, view.State);
        var reason = $"dominated at step 25 by {Specs.RunName(1)} (and 1 other: {Specs.RunName(2)})";
        Assert.Equal((reason, cluster.Clock.GetUtcNow()), (view.Transitions[^1].Reason, view.Transitions[^1].At));
        Assert.DoesNotContain((await scenario.Pool.GetSnapshot()).Leases, l => l.LeaseId == grants[2].LeaseId);
        var next = await scenario.Run(grants[2]).Progress(new ProgressReport(grants[2].LeaseId, 26, 1.0));
        Assert.True(next.StopRequested);

        // The paused runs are queued again and resume from the rung's checkpoint on their next lease.
        foreach (var grant in grants[..2]) Assert.Equal(RunState.Queued, await State(scenario, tenant, grant));
        var resumed = (await scenario.Pool.RequestLeases(worker)).OrderBy(g => g.RunKey, StringComparer.Ordinal).ToArray();
        Assert.Equal(grants[..2].Select(g => g.RunKey), resumed.Select(g => g.RunKey));
        Assert.All(resumed, g => Assert.Equal(25, g.Work.ResumeFrom!.Step));

        var decision = Assert.Single((await experiment.Get(Callers.Viewer(tenant))).Value!.Rungs);
        Assert.Equal((25L, cluster.Clock.GetUtcNow(), 3), (decision.Step, decision.DecidedAt, decision.Compared.Length));
        Assert.Equal((reason, RungStop.IntervalsTest), (Assert.Single(decision.Stopped).Reason, Assert.Single(decision.Stopped).Test));
        Assert.Equal((false, 0), Unpack(await experiment.CheckpointEvaluated(Specs.RunName(1), 25)));
    }

    [Fact]
    public async Task DifferencesWithinTheIntervalsStopNoRunAndThePausedRunGoesOn()
    {
        await using var scenario = new PoolScenario(cluster);
        var (tenant, _, leased) = await scenario.LeaseRuns("halving", "noise", runs: 2, "gpu-n", gpus: 2, Search);
        var grants = leased.OrderBy(g => g.RunKey, StringComparer.Ordinal).ToArray();
        var experiment = scenario.Experiment(tenant, "noise");

        await ReportRung(scenario, grants[0], Scores(20, 10, 30, 8, 4, 13));
        Assert.True((await experiment.CheckpointEvaluated(Specs.RunName(1), 25)).Paused);
        await ReportRung(scenario, grants[1], Scores(15, 5, 25, 11, 6, 16));

        Assert.Equal((false, 0), Unpack(await experiment.CheckpointEvaluated(Specs.RunName(2), 25)));
        Assert.Empty(Assert.Single((await experiment.Get(Callers.Viewer(tenant))).Value!.Rungs).Stopped);
        Assert.Equal(RunState.Queued, await State(scenario, tenant, grants[0]));
        Assert.Equal(RunState.Running, await State(scenario, tenant, grants[1]));
    }

    [Fact]
    public async Task ARungWaitsForARunStillQueuedWhichGetsTheDeviceAPausedRunGaveBack()
    {
        await using var scenario = new PoolScenario(cluster);
        var (tenant, worker, leased) = await scenario.LeaseRuns("halving", "waits", runs: 3, "gpu-w", gpus: 2, Search);
        var grants = leased.ToArray();
        Assert.Equal(2, grants.Length);
        var experiment = scenario.Experiment(tenant, "waits");

        await ReportRung(scenario, grants[0], Scores(40, 30, 50, 5, 2, 9));
        await ReportRung(scenario, grants[1], Scores(5, -3, 13, 30, 23, 37));
        Assert.True((await experiment.CheckpointEvaluated(GrainKeys.LeafOf(grants[1].RunKey), 25)).Paused);
        Assert.Empty((await experiment.Get(Callers.Viewer(tenant))).Value!.Rungs);

        // Two devices, three runs: the third is placed on the device the paused run gave back, and the rung waits for it.
        var third = Assert.Single(await scenario.Pool.RequestLeases(worker));
        Assert.DoesNotContain(third.RunKey, grants.Select(g => g.RunKey));
        Assert.True((await experiment.CheckpointEvaluated(GrainKeys.LeafOf(grants[0].RunKey), 25)).Paused);
        await ReportRung(scenario, third, Scores(38, 28, 48, 6, 3, 10));
        var answer = await experiment.CheckpointEvaluated(GrainKeys.LeafOf(third.RunKey), 25);

        Assert.Equal([GrainKeys.LeafOf(grants[1].RunKey)], answer.Stopped);
        Assert.Equal(RunState.StoppedEarly, await State(scenario, tenant, grants[1]));
        Assert.Equal(RunState.Queued, await State(scenario, tenant, grants[0]));
        Assert.Equal(3, Assert.Single((await experiment.Get(Callers.Viewer(tenant))).Value!.Rungs).Compared.Length);
    }

    [Fact]
    public async Task ARunThatEndedBeforeTheRungIsNotWaitedForAndItsEndDecidesTheRung()
    {
        await using var scenario = new PoolScenario(cluster);
        var (tenant, _, leased) = await scenario.LeaseRuns("halving", "ended", runs: 2, "gpu-e", gpus: 2, Search);
        var grants = leased.OrderBy(g => g.RunKey, StringComparer.Ordinal).ToArray();
        var experiment = scenario.Experiment(tenant, "ended");

        await ReportRung(scenario, grants[0], Scores(20, 10, 30, 8, 4, 13));
        Assert.True((await experiment.CheckpointEvaluated(Specs.RunName(1), 25)).Paused);
        var failing = await scenario.Start(grants[1]);
        await failing.Failed(new RunFailed(grants[1].LeaseId, "diverged at step 12"));
        var stopped = await experiment.RunEnded(Specs.RunName(2));

        Assert.Empty(stopped);
        var decision = Assert.Single((await experiment.Get(Callers.Viewer(tenant))).Value!.Rungs);
        Assert.Equal([Specs.RunName(1)], decision.Compared);
        Assert.Equal(RunState.Queued, await State(scenario, tenant, grants[0]));
    }

    [Fact]
    public async Task AnExperimentWithoutASearchStopsNothing()
    {
        await using var scenario = new PoolScenario(cluster);
        var (tenant, _, leased) = await scenario.LeaseRuns("halving", "plain", runs: 2, "gpu-p", gpus: 2);
        var grants = leased.OrderBy(g => g.RunKey, StringComparer.Ordinal).ToArray();
        await ReportRung(scenario, grants[0], Scores(40, 30, 50, 5, 2, 9));
        await ReportRung(scenario, grants[1], Scores(5, -3, 13, 30, 23, 37));

        var experiment = scenario.Experiment(tenant, "plain");
        Assert.Equal((false, 0), Unpack(await experiment.CheckpointEvaluated(Specs.RunName(1), 25)));
        Assert.Equal((false, 0), Unpack(await experiment.CheckpointEvaluated(Specs.RunName(2), 25)));
        foreach (var grant in grants) Assert.Equal(RunState.Running, await State(scenario, tenant, grant));
    }

    [Fact]
    public async Task TheSameOverlappingIntervalsStopTheWorseRunWhenTheirCheckpointsItemsShowAPairedDifference()
    {
        await using var scenario = new PoolScenario(cluster);
        var (tenant, _, leased) = await scenario.LeaseRuns("halving", "paired", runs: 2, "gpu-p", gpus: 2, Search);
        var grants = leased.OrderBy(g => g.RunKey, StringComparer.Ordinal).ToArray();
        var experiment = scenario.Experiment(tenant, "paired");

        // The scores of the test above, whose intervals overlap; on the items, run 1 answers every target item run 2 does and
        // ten more, and both recall the same facts: a paired gain of 10 points that the interval rule cannot see.
        static ItemResult[] Items(int targetCorrect) =>
        [
            .. Enumerable.Range(0, 100).Select(i => new ItemResult("target", "1", $"t{i}", i < targetCorrect ? 1 : 0, null)),
            .. Enumerable.Range(0, 50).Select(i => new ItemResult("capitals_recall", "1", $"c{i}", i % 10 == 0 ? 0 : 1, null)),
        ];
        CheckpointItemsInMemory.Shared.Put(RungFolder(grants[0]), Items(60));
        CheckpointItemsInMemory.Shared.Put(RungFolder(grants[1]), Items(50));
        await ReportRung(scenario, grants[0], Scores(20, 10, 30, 8, 4, 13));
        Assert.True((await experiment.CheckpointEvaluated(Specs.RunName(1), 25)).Paused);
        await ReportRung(scenario, grants[1], Scores(15, 5, 25, 11, 6, 16));

        Assert.Equal([Specs.RunName(2)], (await experiment.CheckpointEvaluated(Specs.RunName(2), 25)).Stopped);
        var stop = Assert.Single(Assert.Single((await experiment.Get(Callers.Viewer(tenant))).Value!.Rungs).Stopped);
        Assert.Equal(($"dominated at step 25 by {Specs.RunName(1)}", RungStop.PairedTest), (stop.Reason, stop.Test));
        Assert.Equal(RunState.StoppedEarly, await State(scenario, tenant, grants[1]));
        Assert.Equal(RunState.Queued, await State(scenario, tenant, grants[0]));
    }

    private static (bool Paused, int Stopped) Unpack(RungAnswer answer) => (answer.Paused, answer.Stopped.Length);

    private static async Task<RunState> State(PoolScenario scenario, string tenant, LeaseGrant grant) =>
        (await scenario.Run(grant).Get(Callers.Viewer(tenant))).Value!.State;

    private static string RungFolder(LeaseGrant grant) => $"{grant.RunKey}/step-25";

    /// <summary>What a worker reports up to its scored rung checkpoint.</summary>
    private static async Task ReportRung(PoolScenario scenario, LeaseGrant grant, ImmutableArray<SuiteScore> scores)
    {
        var run = await scenario.Start(grant);
        Assert.Equal(ReportOutcome.Applied, (await run.CheckpointSaved(new CheckpointSaved(grant.LeaseId, 25, RungFolder(grant), PoolScenario.Sha))).Outcome);
        Assert.Equal(ReportOutcome.Applied, (await run.EvaluationStarted(new EvaluationStarted(grant.LeaseId, 25))).Outcome);
        Assert.Equal(ReportOutcome.Applied, (await run.EvaluationFinished(new EvaluationFinished(grant.LeaseId, 25, scores))).Outcome);
    }
}
