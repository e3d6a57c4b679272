using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Runs;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Runs;

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
    public async Task AMemberRunJoinsItsLeadsLeaseAndRejoinsTheLeadsNextLeaseAfterTheFirstWasLost()
    {
        var (run, tenant) = await NewRun();
        var first = new LeaseInfo("w1/7", "w1", ["cpu:0"]);
        var second = new LeaseInfo("w2/8", "w2", ["cpu:0"]);
        await run.Enqueue("submitted; evaluated in run 'lead''s job");

        Assert.True((await run.JoinLease(first, "lead")).Accepted);
        Assert.True((await run.JoinLease(first, "lead")).Accepted); // a repeat is harmless
        Assert.Equal(ReportOutcome.Applied, (await run.Started(new RunStarted("w1/7"))).Outcome);
        // The lead's first lease was lost mid-job: its next lease brings this run again, and the old lease is no longer heard.
        Assert.True((await run.JoinLease(second, "lead")).Accepted);
        Assert.Equal(ReportOutcome.Rejected, (await run.Progress(new ProgressReport("w1/7", 1, 1.0))).Outcome);
        Assert.Equal(ReportOutcome.Applied, (await run.Started(new RunStarted("w2/8"))).Outcome);
        Assert.Equal(ReportOutcome.Applied, (await run.Finished(new RunFinished("w2/8", 0, false, "completed at step 0"))).Outcome);
        var ended = await run.JoinLease(new LeaseInfo("w3/9", "w3", ["cpu:0"]), "lead");

        Assert.False(ended.Accepted);
        Assert.Contains("the run has ended", ended.Error);
        var view = (await run.Get(Callers.Viewer(tenant))).Value!;
        Assert.Equal([RunState.Queued, RunState.Leased, RunState.Running, RunState.Queued, RunState.Leased, RunState.Running, RunState.Completed],
            view.Transitions.Select(t => t.To));
        Assert.Contains("joins lease 'w1/7' of run 'lead'", view.Transitions[1].Reason);
        Assert.Contains("run 'lead''s lease 'w1/7' was lost", view.Transitions[3].Reason);
        Assert.Equal("w2/8", view.Lease!.LeaseId);
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

    [Fact]
    public async Task TheLossCurveKeepsEveryReportInStepOrderOnceEachAndStaysBoundedOverALongRun()
    {
        var (run, tenant) = await NewRun();
        await run.Enqueue("submitted");
        await run.MarkLeased(new LeaseInfo("w1/6", "w1", ["cpu:0"]), "leased");
        await run.Started(new RunStarted("w1/6"));
        static double Loss(long step) => 10.0 / step;

        for (var step = 1; step <= 100; step++)
        {
            await run.Progress(new ProgressReport("w1/6", step, Loss(step)));
            await run.Progress(new ProgressReport("w1/6", step, Loss(step))); // a repeated report counts once
        }
        await run.Progress(new ProgressReport("w1/6", 50, 99.0));             // a replayed earlier step changes nothing
        await run.Progress(new ProgressReport("w1/6", 101, double.NaN));       // a diverged loss is not drawn
        await run.Progress(new ProgressReport("w1/6", 102, null));

        var early = (await run.Get(Callers.Viewer(tenant))).Value!.LossHistory;
        Assert.Equal(Enumerable.Range(1, 100).Select(s => new LossPoint(s, Loss(s))), early);

        for (var step = 103; step <= 1200; step++) await run.Progress(new ProgressReport("w1/6", step, Loss(step)));

        var view = (await run.Get(Callers.Viewer(tenant))).Value!;
        var history = view.LossHistory;
        Assert.InRange(history.Length, LossHistory.Capacity / 2, LossHistory.Capacity);
        Assert.Equal(new LossPoint(1, Loss(1)), history[0]);
        Assert.InRange(history[^1].Step, 1200 - 2 * (1200 / LossHistory.Capacity) - 1, 1200); // within a stride of the end
        Assert.True(history.Zip(history.Skip(1)).All(p => p.First.Step < p.Second.Step), "the curve is in step order");
        Assert.All(history, p => Assert.Equal(Loss(p.Step), p.Loss));
        // Thinned evenly: the gaps between kept steps differ by a factor of two at most.
        var gaps = history.Zip(history.Skip(1)).Select(p => p.Second.Step - p.First.Step).ToList();
        Assert.True(gaps.Max() <= 2 * gaps.Min(), $"gaps from {gaps.Min()} to {gaps.Max()}");
        Assert.Equal((1200L, Loss(1200)), (view.LastStep, view.LastTrainLoss!.Value));
    }

    [Fact]
    public async Task RewardFineTuningPointsSentWhileTheRunTrainsAreVisibleBeforeItEndsAndStayBounded()
    {
        var (run, tenant) = await NewRun();
        await run.Enqueue("submitted");
        await run.MarkLeased(new LeaseInfo("w1/7", "w1", ["cpu:0"]), "leased");
        await run.Started(new RunStarted("w1/7"));
        static RlStepPoint Point(long step) => new(step, 2, 0.001 * step,
            [new RewardComponentMean("correct", 0.0), new RewardComponentMean("format", 0.001 * step)], 0.01 * step, 2.0 - 0.001 * step, 12, 0.04);
        // ImmutableArray compares by reference: compare the points by their values.
        static string Flat(RlStepPoint p) => $"{p with { Components = [] }} {string.Join(",", p.Components.Select(c => $"{c.Name}={c.Mean}"))}";

        for (var step = 2; step <= 40; step += 2)
        {
            await run.Progress(new ProgressReport("w1/7", step, 1.0) { Rl = Point(step) });
            await run.Progress(new ProgressReport("w1/7", step, 1.0) { Rl = Point(step) }); // a repeated report counts once
        }
        var mismatched = await run.Progress(new ProgressReport("w1/7", 42, 1.0) { Rl = Point(41) });
        await run.Progress(new ProgressReport("w1/7", 43, 1.0));                                // a report without a point adds none

        var running = (await run.Get(Callers.Viewer(tenant))).Value!;
        Assert.Equal(RunState.Running, running.State);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => Flat(Point(2L * i))), running.RlHistory.Select(Flat));
        Assert.Equal((ReportOutcome.Rejected, "the reward fine-tuning point is at step 41, the report at step 42"), (mismatched.Outcome, mismatched.Error));

        for (var step = 44; step <= 4000; step += 2) await run.Progress(new ProgressReport("w1/7", step, 1.0) { Rl = Point(step) });

        var history = (await run.Get(Callers.Viewer(tenant))).Value!.RlHistory;
        Assert.InRange(history.Length, RlHistory.Capacity / 2, RlHistory.Capacity);
        Assert.Equal(Flat(Point(2)), Flat(history[0]));
        Assert.InRange(history[^1].Step, 4000 - 2 * (4000 / RlHistory.Capacity) - 2, 4000);   // within a stride of the end
        Assert.True(history.Zip(history.Skip(1)).All(p => p.First.Step < p.Second.Step), "the points are in step order");
        Assert.All(history, p => Assert.Equal(Flat(Point(p.Step)), Flat(p)));
    }

    [Fact]
    public async Task ARunPausedAtARungHoldsNoLeaseIsNoLongerHeardFromItsWorkerAndResumesFromTheRungsCheckpoint()
    {
        var (run, tenant) = await NewRun();
        var lease = new LeaseInfo("w1/3", "w1", ["cuda:0"]);
        await run.Enqueue("submitted");
        await run.MarkLeased(lease, "leased to w1");
        await run.Started(new RunStarted("w1/3"));
        await run.CheckpointSaved(new CheckpointSaved("w1/3", 25, "t/e/r/step-25/", Sha));
        const string why = "paused at rung 25";

        var unscored = await run.PauseAtRung(25, why);
        await run.EvaluationStarted(new EvaluationStarted("w1/3", 25));
        await run.EvaluationFinished(new EvaluationFinished("w1/3", 25, [new("target", 0.4)]));
        var atAnotherStep = await run.PauseAtRung(50, why);
        var paused = await run.PauseAtRung(25, why);
        var again = await run.PauseAtRung(25, why);

        Assert.False(unscored.Paused);
        Assert.Contains("latest scored checkpoint is not at step 25", unscored.Refusal);
        Assert.False(atAnotherStep.Paused);
        Assert.Equal((true, "w1/3"), (paused.Paused, paused.Lease?.LeaseId));
        Assert.Equal((true, "w1/3"), (again.Paused, again.Lease?.LeaseId));
        var view = (await run.Get(Callers.Viewer(tenant))).Value!;
        Assert.Equal((RunState.Paused, null, why), (view.State, view.Lease, view.Transitions[^1].Reason));
        var late = await run.Progress(new ProgressReport("w1/3", 26, 1.0));
        Assert.Equal((ReportOutcome.Rejected, true), (late.Outcome, late.StopRequested));
        Assert.Null((await run.ReturnToQueue("w1/3", "the pool released it")).Entry);

        Assert.Null((await run.ResumeFromRung(50, "rung 50 decided")).Entry);
        var resumed = await run.ResumeFromRung(25, "rung 25 decided");
        Assert.NotNull(resumed.Entry);
        Assert.Equal(resumed.Entry, (await run.ResumeFromRung(25, "rung 25 decided")).Entry);
        var next = await run.MarkLeased(new LeaseInfo("w2/4", "w2", ["cuda:1"]), "leased to w2");
        Assert.Equal(25, next.Work!.ResumeFrom!.Step);
        view = (await run.Get(Callers.Viewer(tenant))).Value!;
        Assert.Equal([RunState.Running, RunState.Paused, RunState.Queued, RunState.Leased], view.Transitions.Skip(4).Select(t => t.To));
        Assert.Equal("rung 25 decided; resumes from the checkpoint at step 25", view.Transitions[^2].Reason);
    }

    [Fact]
    public void TheLossHistoryHalvesItsResolutionWhenFull()
    {
        var history = LossHistory.Empty;
        for (var step = 1; step <= 8; step++) history = history.Add(new LossPoint(step, step), capacity: 8);
        Assert.Equal(8, history.Points.Length);

        history = history.Add(new LossPoint(9, 9), capacity: 8);
        Assert.Equal([1L, 3, 5, 7, 9], history.Points.Select(p => p.Step));
        Assert.Equal(2, history.Stride);

        history = history.Add(new LossPoint(10, 10), capacity: 8); // within the stride: skipped
        history = history.Add(new LossPoint(11, 11), capacity: 8);
        Assert.Equal([1L, 3, 5, 7, 9, 11], history.Points.Select(p => p.Step));
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
