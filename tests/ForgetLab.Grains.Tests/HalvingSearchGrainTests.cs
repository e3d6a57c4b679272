using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;

namespace ForgetLab.Grains.Tests;

/// <summary>The experiment's search on TestingHost: runs report their rung checkpoint as workers would, the platform clock is moved by hand.</summary>
[Collection(PoolCollection.Name)]
public sealed class HalvingSearchGrainTests(PoolCluster cluster)
{
    private const string Sha = "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c";

    // Specs.Valid trains 50 steps with a checkpoint every 25: one rung at 25.
    private const string Search = "\nsearch: { kind: halving, rungs: [25], keep: 1 }\n";

    private static ImmutableArray<SuiteScore> Scores(double gain, double gainLow, double gainHigh, double drop, double dropLow, double dropHigh) =>
    [
        new("target", 5 + gain) { Objective = new SuiteObjective("target_gain", gain, gainLow, gainHigh) },
        new("capitals_recall", 95 - drop) { Objective = new SuiteObjective("forgetting", -drop, -dropHigh, -dropLow) },
    ];

    [Fact]
    public async Task AClearlyDominatedRunStopsEarlyAtTheRungWhenTheLastRunIsScoredAndItsDeviceGoesBackToThePool()
    {
        await using var scenario = new PoolScenario(cluster);
        var tenant = await scenario.Tenant("halving", weight: 1);
        await scenario.Submit(tenant, "search", runs: 3, extra: Search);
        var worker = await scenario.Worker("gpu-h", gpus: 3);
        var grants = (await scenario.Pool.RequestLeases(worker)).OrderBy(g => g.RunKey, StringComparer.Ordinal).ToArray();
        Assert.Equal(3, grants.Length);
        var experiment = cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, "search"));

        // Seed 1 and seed 2 learn and keep their facts alike; seed 3 learns nothing and forgets a third.
        var scores = new[] { Scores(40, 30, 50, 5, 2, 9), Scores(36, 26, 46, 6, 3, 10), Scores(5, -3, 13, 30, 23, 37) };
        for (var i = 0; i < 2; i++)
        {
            await ReportRung(grants[i], scores[i]);
            Assert.Empty(await experiment.CheckpointEvaluated(Specs.RunName(i + 1), 25));
        }

        cluster.Clock.Advance(TimeSpan.FromMinutes(3));
        await ReportRung(grants[2], scores[2]);
        var stopped = await experiment.CheckpointEvaluated(Specs.RunName(3), 25);

        Assert.Equal([Specs.RunName(3)], stopped);
        var view = (await Run(grants[2]).Get(Callers.Viewer(tenant))).Value!;
        Assert.Equal(RunState.StoppedEarly, view.State);
        var reason = $"dominated at step 25 by {Specs.RunName(1)} (and 1 other: {Specs.RunName(2)})";
        Assert.Equal((reason, cluster.Clock.GetUtcNow()), (view.Transitions[^1].Reason, view.Transitions[^1].At));
        Assert.DoesNotContain((await scenario.Pool.GetSnapshot()).Leases, l => l.LeaseId == grants[2].LeaseId);
        var next = await Run(grants[2]).Progress(new ProgressReport(grants[2].LeaseId, 26, 1.0));
        Assert.True(next.StopRequested);
        foreach (var grant in grants[..2])
            Assert.Equal(RunState.Running, (await Run(grant).Get(Callers.Viewer(tenant))).Value!.State);

        var decision = Assert.Single((await experiment.Get(Callers.Viewer(tenant))).Value!.Rungs);
        Assert.Equal((25L, cluster.Clock.GetUtcNow(), 3), (decision.Step, decision.DecidedAt, decision.Compared.Length));
        Assert.Equal(reason, Assert.Single(decision.Stopped).Reason);
        Assert.Empty(await experiment.CheckpointEvaluated(Specs.RunName(1), 25));
    }

    [Fact]
    public async Task DifferencesWithinTheIntervalsStopNoRun()
    {
        await using var scenario = new PoolScenario(cluster);
        var tenant = await scenario.Tenant("halving", weight: 1);
        await scenario.Submit(tenant, "noise", runs: 2, extra: Search);
        var worker = await scenario.Worker("gpu-n", gpus: 2);
        var grants = (await scenario.Pool.RequestLeases(worker)).OrderBy(g => g.RunKey, StringComparer.Ordinal).ToArray();
        var experiment = cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, "noise"));

        await ReportRung(grants[0], Scores(20, 10, 30, 8, 4, 13));
        await ReportRung(grants[1], Scores(15, 5, 25, 11, 6, 16));

        Assert.Empty(await experiment.CheckpointEvaluated(Specs.RunName(2), 25));
        Assert.Empty(Assert.Single((await experiment.Get(Callers.Viewer(tenant))).Value!.Rungs).Stopped);
        foreach (var grant in grants)
            Assert.Equal(RunState.Running, (await Run(grant).Get(Callers.Viewer(tenant))).Value!.State);
    }

    [Fact]
    public async Task ARungWaitsForEveryLiveRunIncludingOneStillQueued()
    {
        await using var scenario = new PoolScenario(cluster);
        var tenant = await scenario.Tenant("halving", weight: 1);
        await scenario.Submit(tenant, "waits", runs: 3, extra: Search);
        var worker = await scenario.Worker("gpu-w", gpus: 2);
        var grants = (await scenario.Pool.RequestLeases(worker)).ToArray();
        Assert.Equal(2, grants.Length);
        var experiment = cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, "waits"));

        await ReportRung(grants[0], Scores(40, 30, 50, 5, 2, 9));
        await ReportRung(grants[1], Scores(5, -3, 13, 30, 23, 37));

        Assert.Empty(await experiment.CheckpointEvaluated(GrainKeys.LeafOf(grants[1].RunKey), 25));
        Assert.Empty((await experiment.Get(Callers.Viewer(tenant))).Value!.Rungs);
        Assert.Equal(RunState.Running, (await Run(grants[1]).Get(Callers.Viewer(tenant))).Value!.State);
    }

    [Fact]
    public async Task AnExperimentWithoutASearchStopsNothing()
    {
        await using var scenario = new PoolScenario(cluster);
        var tenant = await scenario.Tenant("halving", weight: 1);
        await scenario.Submit(tenant, "plain", runs: 2);
        var worker = await scenario.Worker("gpu-p", gpus: 2);
        var grants = (await scenario.Pool.RequestLeases(worker)).OrderBy(g => g.RunKey, StringComparer.Ordinal).ToArray();
        await ReportRung(grants[0], Scores(40, 30, 50, 5, 2, 9));
        await ReportRung(grants[1], Scores(5, -3, 13, 30, 23, 37));

        var experiment = cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, "plain"));
        Assert.Empty(await experiment.CheckpointEvaluated(Specs.RunName(2), 25));
        Assert.Equal(RunState.Running, (await Run(grants[1]).Get(Callers.Viewer(tenant))).Value!.State);
    }

    private IRunGrain Run(LeaseGrant grant) => cluster.Client.GetGrain<IRunGrain>(grant.RunKey);

    /// <summary>What a worker reports up to its scored rung checkpoint.</summary>
    private async Task ReportRung(LeaseGrant grant, ImmutableArray<SuiteScore> scores)
    {
        var run = Run(grant);
        Assert.Equal(ReportOutcome.Applied, (await run.Started(new RunStarted(grant.LeaseId))).Outcome);
        Assert.Equal(ReportOutcome.Applied, (await run.CheckpointSaved(new CheckpointSaved(grant.LeaseId, 25, $"{grant.RunKey}/step-25", Sha))).Outcome);
        Assert.Equal(ReportOutcome.Applied, (await run.EvaluationStarted(new EvaluationStarted(grant.LeaseId, 25))).Outcome);
        Assert.Equal(ReportOutcome.Applied, (await run.EvaluationFinished(new EvaluationFinished(grant.LeaseId, 25, scores))).Outcome);
    }
}
