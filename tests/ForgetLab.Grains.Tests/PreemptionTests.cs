using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Hosting;

namespace ForgetLab.Grains.Tests;

/// <summary>
/// Cooperative checkpoint-then-preempt through the pool grain, with the worker's side played by hand and the platform clock
/// moved by hand: the heartbeat answer says "checkpoint now", the lease ends on the verified checkpoint or at the grace deadline,
/// the preemption is recorded on the run, and a run preempted K times in the window is left alone.
/// </summary>
[Collection(PreemptionCollection.Name)]
public sealed class PreemptionTests(PreemptionCluster cluster)
{
    private static readonly TimeSpan Grace = new GpuPoolOptions().PreemptionGrace;

    [Fact]
    public async Task AHighClassRunPreemptsALowOneWhichCheckpointsAndResumesFromThatCheckpoint()
    {
        await using var scenario = new PoolScenario(cluster, afterEarlierWorkersWentQuiet: true);
        var batch = await scenario.Tenant("batch", weight: 1);
        var urgent = await scenario.Tenant("urgent", weight: 1);
        var worker = await scenario.Worker("gpu-p", gpus: 1);
        await scenario.Submit(batch, "overnight", runs: 1, priorityClass: "low");
        var low = Assert.Single(await scenario.Pool.RequestLeases(worker));
        var lowRun = await scenario.Start(low);

        await scenario.Submit(urgent, "hotfix", runs: 1, priorityClass: "high");
        Assert.Empty(await scenario.Pool.RequestLeases(worker));

        // The worker hears it in its heartbeat answer; the lease lives on while it checkpoints.
        var ack = await scenario.Pool.Heartbeat(worker, [low.LeaseId]);
        Assert.Equal([low.LeaseId], ack.Checkpoint);
        Assert.Equal([low.LeaseId], ack.Renewed);
        var asked = Assert.Single((await scenario.Pool.GetSnapshot()).Preempting);
        Assert.Equal((low.RunKey, PreemptionOutcomes.HigherClass, urgent), (asked.RunKey, asked.Reason, asked.ForTenantId));

        await lowRun.Progress(new ProgressReport(low.LeaseId, 7, 1.25));
        await lowRun.CheckpointSaved(new CheckpointSaved(low.LeaseId, 7, "checkpoints/step-7/", PoolScenario.Sha) { ForPreemption = true });
        Assert.True(await scenario.Pool.Preempted(worker, low.LeaseId, 7));

        var view = (await lowRun.Get(Callers.Member(batch))).Value!;
        Assert.Equal(RunState.Queued, view.State);
        var preemption = Assert.Single(view.Preemptions);
        Assert.Equal((PreemptionOutcomes.HigherClass, PreemptionOutcomes.Checkpointed, 7L), (preemption.Reason, preemption.Outcome, preemption.CheckpointStep));
        // The victim's tenant is told why, never which other tenant's run took its devices.
        Assert.DoesNotContain(urgent, preemption.Explanation, StringComparison.Ordinal);
        Assert.Equal("", preemption.ForRunKey);
        Assert.Contains("checkpointed at step 7", view.Transitions[^1].Reason, StringComparison.Ordinal);

        // The freed worker goes to the run it was freed for; the victim waits, to resume from the preemption checkpoint, unscored.
        var high = Assert.Single(await scenario.Pool.RequestLeases(worker));
        Assert.Equal(urgent, high.TenantId);
        var snapshot = await scenario.Pool.GetSnapshot();
        Assert.Empty(snapshot.Preempting);
        Assert.Equal(PreemptionOutcomes.Checkpointed, snapshot.Preempted.First(p => p.RunKey == low.RunKey).Outcome);
        await scenario.Finish(high);

        var resumed = Assert.Single(await scenario.Pool.RequestLeases(worker));
        Assert.Equal(low.RunKey, resumed.RunKey);
        Assert.Equal((7L, true, (DateTimeOffset?)null), (resumed.Work.ResumeFrom!.Step, resumed.Work.ResumeFrom.ForPreemption, resumed.Work.ResumeFrom.EvaluatedAt));
    }

    [Fact]
    public async Task AVictimThatDoesNotCheckpointWithinTheGraceLosesItsLeaseAndFallsBackToItsLastCheckpoint()
    {
        await using var scenario = new PoolScenario(cluster, afterEarlierWorkersWentQuiet: true);
        var batch = await scenario.Tenant("slow", weight: 1);
        var urgent = await scenario.Tenant("eager", weight: 1);
        var worker = await scenario.Worker("gpu-g", gpus: 1);
        await scenario.Submit(batch, "long", runs: 1, priorityClass: "normal");
        var victim = Assert.Single(await scenario.Pool.RequestLeases(worker));
        var run = await scenario.Start(victim);
        await run.CheckpointSaved(new CheckpointSaved(victim.LeaseId, 4, "checkpoints/step-4/", PoolScenario.Sha));
        await scenario.Pool.CheckpointUploaded(worker, victim.LeaseId);

        await scenario.Submit(urgent, "now", runs: 1, priorityClass: "high");
        Assert.Empty(await scenario.Pool.RequestLeases(worker));

        // The worker keeps heartbeating (its job ignores the request): a minute short of the grace, the lease still stands.
        for (var waited = TimeSpan.Zero; waited < Grace - TimeSpan.FromMinutes(1); waited += TimeSpan.FromMinutes(1))
        {
            cluster.Clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Contains(victim.LeaseId, (await scenario.Pool.Heartbeat(worker, [victim.LeaseId])).Checkpoint);
        }
        Assert.Equal(RunState.Running, (await run.Get(Callers.Member(batch))).Value!.State);

        cluster.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Contains(victim.RunKey, await scenario.Pool.SweepExpiredLeases());

        var view = (await run.Get(Callers.Member(batch))).Value!;
        Assert.Equal(RunState.Queued, view.State);
        var preemption = Assert.Single(view.Preemptions);
        Assert.Equal((PreemptionOutcomes.GraceTimeout, 4L), (preemption.Outcome, preemption.CheckpointStep));
        Assert.Contains("resumes from the checkpoint at step 4", view.Transitions[^1].Reason, StringComparison.Ordinal);
        // Its worker hears the lease is gone and stops the job; a late checkpoint is turned away.
        Assert.Equal([victim.LeaseId], (await scenario.Pool.Heartbeat(worker, [victim.LeaseId])).Lost);
        Assert.False(await scenario.Pool.Preempted(worker, victim.LeaseId, 9));
        Assert.Equal(urgent, Assert.Single(await scenario.Pool.RequestLeases(worker)).TenantId);
    }

    [Fact]
    public async Task ARunPreemptedThreeTimesWithinTheWindowIsNotPreemptedAgain()
    {
        await using var scenario = new PoolScenario(cluster, afterEarlierWorkersWentQuiet: true);
        var batch = await scenario.Tenant("looped", weight: 1);
        var urgent = await scenario.Tenant("bursty", weight: 1);
        var worker = await scenario.Worker("gpu-k", gpus: 1);
        await scenario.Submit(batch, "victim", runs: 1, priorityClass: "low");
        var lease = Assert.Single(await scenario.Pool.RequestLeases(worker));
        var run = await scenario.Start(lease);

        var protectAfter = new GpuPoolOptions().PreemptionProtectAfter;
        for (var i = 1; i <= protectAfter; i++)
        {
            await scenario.Submit(urgent, $"burst-{i}", runs: 1, priorityClass: "high");
            Assert.Empty(await scenario.Pool.RequestLeases(worker));
            Assert.Equal([lease.LeaseId], (await scenario.Pool.Heartbeat(worker, [lease.LeaseId])).Checkpoint);
            await run.CheckpointSaved(new CheckpointSaved(lease.LeaseId, 10 * i, $"checkpoints/step-{10 * i}/", PoolScenario.Sha) { ForPreemption = true });
            Assert.True(await scenario.Pool.Preempted(worker, lease.LeaseId, 10 * i));
            await scenario.Finish(Assert.Single(await scenario.Pool.RequestLeases(worker)));
            cluster.Clock.Advance(TimeSpan.FromMinutes(20));

            lease = Assert.Single(await scenario.Pool.RequestLeases(worker));
            Assert.Equal(run.GetPrimaryKeyString(), lease.RunKey);
            await scenario.Start(lease);
        }

        await scenario.Submit(urgent, "burst-last", runs: 1, priorityClass: "high");
        Assert.Empty(await scenario.Pool.RequestLeases(worker));
        Assert.Empty((await scenario.Pool.Heartbeat(worker, [lease.LeaseId])).Checkpoint);
        Assert.Empty((await scenario.Pool.GetSnapshot()).Preempting);
        Assert.Equal(protectAfter, (await run.Get(Callers.Member(batch))).Value!.Preemptions.Length);
    }

    [Fact]
    public async Task ATenantBelowItsGuaranteeReclaimsLentDevicesByPreemption()
    {
        await using var scenario = new PoolScenario(cluster, afterEarlierWorkersWentQuiet: true);
        var owner = await scenario.Tenant("owner", weight: 1, maxDevices: 2, guaranteedDevices: 2);
        var borrower = await scenario.Tenant("borrower", weight: 1);
        var worker = await scenario.Worker("gpu-r", gpus: 2);
        Assert.Equal(2, (await scenario.Pool.GetTenantAllocation(owner)).GuaranteedDevices);

        // The owner is idle, so its guaranteed devices are lent.
        await scenario.Submit(borrower, "borrowing", runs: 2);
        var lent = await scenario.Pool.RequestLeases(worker);
        Assert.Equal(2, lent.Length);
        foreach (var l in lent) await scenario.Start(l);
        Assert.Equal(2, (await scenario.Pool.GetTenantAllocation(borrower)).Borrowed);

        await scenario.Submit(owner, "mine", runs: 1);
        Assert.Empty(await scenario.Pool.RequestLeases(worker));
        var asked = Assert.Single((await scenario.Pool.GetSnapshot()).Preempting);
        Assert.Equal((PreemptionOutcomes.ReclaimGuarantee, borrower, owner), (asked.Reason, asked.TenantId, asked.ForTenantId));
    }

    [Fact]
    public async Task AGuaranteeAboveTheTenantsOwnDeviceCapIsRefusedNamingTheField()
    {
        var id = Callers.NewTenant("overpromised");
        var reply = await cluster.Client.GetGrain<Contracts.Tenants.ITenantGrain>(id)
            .Configure(Callers.Platform, new Contracts.Tenants.TenantSettings("overpromised", 1, 2, null) { GuaranteedDevices = 3 });

        Assert.Equal(ReplyStatus.Invalid, reply.Status);
        Assert.Contains(reply.Errors, e => e.Path == "guaranteedDevices" && e.Message.Contains("between 0 and maxConcurrentDevices (2), got 3", StringComparison.Ordinal));
    }
}
