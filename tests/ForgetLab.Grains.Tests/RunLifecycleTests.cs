using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Runs;
using ForgetLab.Grains.Common;

namespace ForgetLab.Grains.Tests;

/// <summary>The run state machine, driven directly the way the pool and a worker drive it.</summary>
[Collection(GrainsCollection.Name)]
public sealed class RunLifecycleTests(GrainsCluster cluster)
{
    private static readonly string Sha = new('a', 64);

    [Fact]
    public async Task ALegalPathEndsCompletedWithEveryTransitionLoggedWithTimeAndReason()
    {
        var (run, tenant) = await NewRun();
        var lease = new LeaseInfo("w1/1", "w1", ["cuda:0"]);

        Assert.NotNull((await run.Enqueue("submitted")).Entry);
        Assert.True((await run.MarkLeased(lease, "leased to w1")).Accepted);
        Assert.Equal(ReportOutcome.Applied, (await run.Started(new RunStarted("w1/1"))).Outcome);
        cluster.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(ReportOutcome.Applied, (await run.Progress(new ProgressReport("w1/1", 25, 1.5))).Outcome);
        Assert.Equal(ReportOutcome.Applied, (await run.CheckpointSaved(new CheckpointSaved("w1/1", 25, "t/e/r/step-25/", Sha))).Outcome);
        Assert.Equal(ReportOutcome.Applied, (await run.EvaluationStarted(new EvaluationStarted("w1/1", 25))).Outcome);
        ImmutableArray<SuiteScore> scores = [new("target", 0.4), new("capitals_recall", 0.8)];
        Assert.Equal(ReportOutcome.Applied, (await run.EvaluationFinished(new EvaluationFinished("w1/1", 25, scores))).Outcome);
        var done = await run.Finished(new RunFinished("w1/1", 50, false, "trained 50 steps"));

        Assert.Equal((ReportOutcome.Applied, RunState.Completed), (done.Outcome, done.State));
        var view = (await run.Get(Callers.Viewer(tenant))).Value!;
        Assert.Equal(RunState.Completed, view.State);
        Assert.Equal(
            [RunState.Queued, RunState.Leased, RunState.Running, RunState.Evaluating, RunState.Running, RunState.Completed],
            view.Transitions.Select(t => t.To));
        Assert.All(view.Transitions, t => Assert.False(string.IsNullOrWhiteSpace(t.Reason)));
        Assert.Equal("trained 50 steps", view.Transitions[^1].Reason);
        Assert.Equal(cluster.Clock.GetUtcNow(), view.Transitions[^1].At);
        Assert.True(view.Transitions[2].At < view.Transitions[3].At);
        Assert.Equal(scores, Assert.Single(view.Checkpoints).Scores);
    }

    [Fact]
    public async Task IllegalTransitionsAreRefusedWithTheReasonAndChangeNothing()
    {
        var (run, tenant) = await NewRun();

        var leasedWhilePending = await run.MarkLeased(new LeaseInfo("w1/2", "w1", ["cuda:0"]), "leased");
        Assert.False(leasedWhilePending.Accepted);
        Assert.Contains("illegal transition Pending → Leased", leasedWhilePending.Error);

        await run.Enqueue("submitted");
        var notLeased = await run.Started(new RunStarted("w1/2"));
        Assert.Equal(ReportOutcome.Rejected, notLeased.Outcome);
        Assert.True(notLeased.StopRequested);

        await run.MarkLeased(new LeaseInfo("w1/2", "w1", ["cuda:0"]), "leased");
        var evaluatedWhileLeased = await run.EvaluationFinished(new EvaluationFinished("w1/2", 10, []));
        Assert.Equal(ReportOutcome.Rejected, evaluatedWhileLeased.Outcome);
        var completedWhileLeased = await run.Finished(new RunFinished("w1/2", 10, false, "done"));
        Assert.Equal(ReportOutcome.Rejected, completedWhileLeased.Outcome);
        Assert.Contains("illegal transition Leased → Completed", completedWhileLeased.Error);

        await run.Started(new RunStarted("w1/2"));
        await run.Finished(new RunFinished("w1/2", 50, false, "done"));
        var failAfterEnd = await run.Failed(new RunFailed("w1/2", "oom"));
        Assert.Equal(ReportOutcome.Rejected, failAfterEnd.Outcome);
        Assert.Contains("the run has ended (Completed)", failAfterEnd.Error);
        var cancelAfterEnd = await run.Cancel(Callers.Member(tenant), "too late");
        Assert.Equal(ReplyStatus.Conflict, cancelAfterEnd.Status);

        var view = (await run.Get(Callers.Viewer(tenant))).Value!;
        Assert.Equal(RunState.Completed, view.State);
        Assert.Equal([RunState.Queued, RunState.Leased, RunState.Running, RunState.Completed], view.Transitions.Select(t => t.To));
    }

    [Fact]
    public async Task RepeatedWorkerReportsAreHarmless()
    {
        var (run, tenant) = await NewRun();
        await run.Enqueue("submitted");
        await run.MarkLeased(new LeaseInfo("w1/3", "w1", ["cpu:0"]), "leased");

        Assert.Equal(ReportOutcome.Applied, (await run.Started(new RunStarted("w1/3"))).Outcome);
        Assert.Equal(ReportOutcome.Duplicate, (await run.Started(new RunStarted("w1/3"))).Outcome);
        Assert.Equal(ReportOutcome.Applied, (await run.Progress(new ProgressReport("w1/3", 10, 2.0))).Outcome);
        Assert.Equal(ReportOutcome.Duplicate, (await run.Progress(new ProgressReport("w1/3", 10, 2.0))).Outcome);
        Assert.Equal(ReportOutcome.Duplicate, (await run.Progress(new ProgressReport("w1/3", 5, 9.9))).Outcome);
        var checkpoint = new CheckpointSaved("w1/3", 10, "t/e/r/step-10/", Sha);
        Assert.Equal(ReportOutcome.Applied, (await run.CheckpointSaved(checkpoint)).Outcome);
        Assert.Equal(ReportOutcome.Duplicate, (await run.CheckpointSaved(checkpoint)).Outcome);
        Assert.Equal(ReportOutcome.Rejected, (await run.CheckpointSaved(checkpoint with { Sha256 = new string('0', 64) })).Outcome);
        Assert.Equal(ReportOutcome.Applied, (await run.Finished(new RunFinished("w1/3", 10, true, "retention fell below the floor"))).Outcome);
        Assert.Equal(ReportOutcome.Duplicate, (await run.Finished(new RunFinished("w1/3", 10, true, "retention fell below the floor"))).Outcome);

        var view = (await run.Get(Callers.Viewer(tenant))).Value!;
        Assert.Equal(RunState.StoppedEarly, view.State);
        Assert.Equal((10L, 2.0), (view.LastStep, view.LastTrainLoss!.Value));
        Assert.Single(view.Checkpoints);
        Assert.Single(view.Transitions, t => t.To == RunState.StoppedEarly);
        Assert.Single(view.Transitions, t => t.To == RunState.Running);
    }

    [Fact]
    public async Task AWorkerThatLostItsLeaseIsToldToStopAndCannotMoveTheRun()
    {
        var (run, tenant) = await NewRun();
        await run.Enqueue("submitted");
        await run.MarkLeased(new LeaseInfo("w1/4", "w1", ["cuda:0"]), "leased");
        await run.Started(new RunStarted("w1/4"));

        var requeued = await run.ReturnToQueue("w1/4", "lease expired");
        var again = await run.ReturnToQueue("w1/4", "lease expired");
        var stale = await run.Progress(new ProgressReport("w1/4", 20, 1.0));

        Assert.NotNull(requeued.Entry);
        Assert.Equal(requeued.Entry, again.Entry);
        Assert.Equal((ReportOutcome.Rejected, true), (stale.Outcome, stale.StopRequested));
        var view = (await run.Get(Callers.Viewer(tenant))).Value!;
        Assert.Equal(RunState.Queued, view.State);
        Assert.Null(view.Lease);
        Assert.Single(view.Transitions, t => t.From == RunState.Running && t.To == RunState.Queued);
    }

    [Fact]
    public async Task TransitionsAndScoresSurviveTheRunGrainBeingDeactivated()
    {
        var (run, tenant) = await NewRun();
        await run.Enqueue("submitted");
        await run.MarkLeased(new LeaseInfo("w1/5", "w1", ["cuda:0"]), "leased to w1");
        await run.Started(new RunStarted("w1/5"));
        await run.CheckpointSaved(new CheckpointSaved("w1/5", 25, "t/e/r/step-25/", Sha));
        await run.EvaluationStarted(new EvaluationStarted("w1/5", 25));
        await run.EvaluationFinished(new EvaluationFinished("w1/5", 25, [new("arithmetic", 0.5)]));

        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);

        var view = (await run.Get(Callers.Viewer(tenant))).Value!;
        Assert.Equal(RunState.Running, view.State);
        Assert.Equal("w1/5", view.Lease!.LeaseId);
        Assert.Equal(["submitted", "leased to w1"], view.Transitions.Take(2).Select(t => t.Reason));
        Assert.Equal([new SuiteScore("arithmetic", 0.5)], Assert.Single(view.Checkpoints).Scores);
        Assert.Equal(ReportOutcome.Duplicate, (await run.EvaluationFinished(new EvaluationFinished("w1/5", 25, [new("arithmetic", 0.5)]))).Outcome);
    }

    private async Task<(IRunGrain Run, string Tenant)> NewRun()
    {
        var tenant = Callers.NewTenant("runs");
        var recipe = new RunRecipeInfo("full-lr1e-4-steps50-seed1", "full", 1e-4, 50, 1);
        var run = cluster.Client.GetGrain<IRunGrain>(GrainKeys.Run(tenant, "exp", recipe.Name));
        var created = await run.Create(new RunSetup(tenant, "exp", recipe, Specs.Valid("exp"), 0, "any", 1));
        Assert.Equal(ReplyStatus.Ok, created.Status);
        return (run, tenant);
    }
}
