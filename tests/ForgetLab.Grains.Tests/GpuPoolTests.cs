using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Runs;
using ForgetLab.Contracts.Tenants;
using ForgetLab.Grains.Common;

namespace ForgetLab.Grains.Tests;

/// <summary>Leases, expiry and fair share, with the platform clock moved by hand: no test sleeps.</summary>
[Collection(PoolCollection.Name)]
public sealed class GpuPoolTests(PoolCluster cluster)
{
    [Fact]
    public async Task TenantsWeightedOneAndThreeShareEightDevicesTwoAndSix()
    {
        await using var scenario = new PoolScenario(cluster);
        var light = await scenario.Tenant("light", weight: 1);
        var heavy = await scenario.Tenant("heavy", weight: 3);
        await scenario.Submit(light, "sweep", runs: 8);
        await scenario.Submit(heavy, "sweep", runs: 8);
        var first = await scenario.Worker("gpu-a", gpus: 4);
        var second = await scenario.Worker("gpu-b", gpus: 4);

        var grants = (await scenario.Pool.RequestLeases(first)).AddRange(await scenario.Pool.RequestLeases(second));

        var devices = PoolScenario.DevicesByTenant(grants);
        Assert.Equal(2, devices[light]);
        Assert.Equal(6, devices[heavy]);
        var snapshot = await scenario.Pool.GetSnapshot();
        var (lightAccount, heavyAccount) = (snapshot.Tenants.Single(t => t.TenantId == light), snapshot.Tenants.Single(t => t.TenantId == heavy));
        Assert.Equal((2, 6), (lightAccount.DevicesHeld, lightAccount.RunsQueued));
        Assert.Equal((6, 2), (heavyAccount.DevicesHeld, heavyAccount.RunsQueued));
        Assert.Equal((3, TimeSpan.FromHours(6)), (snapshot.PreemptionProtectAfter, snapshot.PreemptionWindow)); // the options' defaults, PreemptionRules.Default
        var run = await scenario.Run(grants[0]).Get(Callers.Viewer(grants[0].TenantId));
        Assert.Equal(RunState.Leased, run.Value!.State);
    }

    [Fact]
    public async Task ATenantNeverHoldsMoreDevicesThanItsQuota()
    {
        await using var scenario = new PoolScenario(cluster);
        var capped = await scenario.Tenant("capped", weight: 10, maxDevices: 2);
        await scenario.Submit(capped, "many", runs: 5);
        var worker = await scenario.Worker("gpu-q", gpus: 4);

        var first = await scenario.Pool.RequestLeases(worker);
        var second = await scenario.Pool.RequestLeases(worker);

        Assert.Equal(2, first.Length);
        Assert.Empty(second);
        var account = (await scenario.Pool.GetSnapshot()).Tenants.Single(t => t.TenantId == capped);
        Assert.Equal((2, 3), (account.DevicesHeld, account.RunsQueued));
    }

    [Fact]
    public async Task ATenantThatSpentItsDeviceHoursGetsNoNewDevice()
    {
        await using var scenario = new PoolScenario(cluster);
        var frugal = await scenario.Tenant("frugal", weight: 1, deviceHours: 0.05);
        await scenario.Submit(frugal, "budget", runs: 2);
        var worker = await scenario.Worker("gpu-h", gpus: 1);

        var lease = Assert.Single(await scenario.Pool.RequestLeases(worker));
        cluster.Clock.Advance(TimeSpan.FromSeconds(100));
        await scenario.Pool.Heartbeat(worker, [lease.LeaseId]);
        cluster.Clock.Advance(TimeSpan.FromSeconds(100));
        await scenario.Pool.ReleaseLease(worker, lease.LeaseId);

        Assert.Empty(await scenario.Pool.RequestLeases(worker));
        var account = (await scenario.Pool.GetSnapshot()).Tenants.Single(t => t.TenantId == frugal);
        Assert.Equal(200.0 / 3600, account.DeviceHoursUsed, 1e-9);
    }

    [Fact]
    public async Task ATenantSeesItsDevicesAndDeviceHoursAgainstItsQuotaAndNoOtherTenantSeesThem()
    {
        await using var scenario = new PoolScenario(cluster);
        var team = await scenario.Tenant("usage", weight: 1, maxDevices: 2, deviceHours: 10);
        await scenario.Submit(team, "usage", runs: 3);
        var worker = await scenario.Worker("gpu-u", gpus: 4);
        var tenant = cluster.Client.GetGrain<ITenantGrain>(team);

        var leases = await scenario.Pool.RequestLeases(worker);
        cluster.Clock.Advance(TimeSpan.FromMinutes(1)); // inside the lease's TTL: both still held
        var usage = (await tenant.GetUsage(Callers.Viewer(team))).Value!;

        Assert.Equal(2, leases.Length);
        Assert.Equal((team, 2, 2, 1), (usage.TenantId, usage.DevicesInUse, usage.MaxConcurrentDevices, usage.RunsQueued));
        Assert.Equal(2.0 / 60, usage.DeviceHoursUsed, 1e-9); // two devices for a minute, leases running
        Assert.Equal(10, usage.DeviceHoursBudget);
        Assert.Equal(ReplyStatus.NotFound, (await tenant.GetUsage(Callers.Admin(Callers.NewTenant("nosy")))).Status);
        Assert.Equal(ReplyStatus.Ok, (await tenant.GetUsage(Callers.Platform)).Status);
    }

    [Fact]
    public async Task ALeaseWithoutHeartbeatsExpiresAfterItsTtlAndTheRunResumesFromItsLatestCheckpoint()
    {
        await using var scenario = new PoolScenario(cluster);
        var (tenant, doomed, grants) = await scenario.LeaseRuns("lost", "resume", runs: 1, "gpu-x", gpus: 1);
        var lease = Assert.Single(grants);
        var run = await scenario.Start(lease);
        await run.CheckpointSaved(new CheckpointSaved(lease.LeaseId, 25, $"{lease.RunKey}/step-25/", PoolScenario.Sha));

        cluster.Clock.Advance(ClusterFixture.LeaseTtl - TimeSpan.FromSeconds(1));
        Assert.Empty(await scenario.Pool.SweepExpiredLeases());
        cluster.Clock.Advance(TimeSpan.FromSeconds(2));
        var requeued = await scenario.Pool.SweepExpiredLeases();

        Assert.Equal([lease.RunKey], requeued);
        var view = (await run.Get(Callers.Viewer(tenant))).Value!;
        Assert.Equal(RunState.Queued, view.State);
        Assert.StartsWith("lease expired", view.Transitions[^1].Reason);
        Assert.Contains("resumes from the checkpoint at step 25", view.Transitions[^1].Reason);
        var late = await run.Progress(new ProgressReport(lease.LeaseId, 30, 1.0));
        Assert.True(late.StopRequested);
        Assert.Equal([lease.LeaseId], (await scenario.Pool.Heartbeat(doomed, [lease.LeaseId])).Lost);

        var rescuer = await scenario.Worker("gpu-y", gpus: 1);
        var resumed = Assert.Single(await scenario.Pool.RequestLeases(rescuer));
        Assert.Equal(lease.RunKey, resumed.RunKey);
        Assert.Equal(25, resumed.Work.ResumeFrom!.Step);
        Assert.Equal(PoolScenario.Sha, resumed.Work.ResumeFrom.Sha256);
        Assert.Equal(2, (await run.Get(Callers.Viewer(tenant))).Value!.Attempts);
    }

    [Fact]
    public async Task RunsSurviveControlPlaneOutagesLongerThanTheLeaseTtlWhenThePoolRestarts()
    {
        await using var scenario = new PoolScenario(cluster);
        var (tenant, worker, grants) = await scenario.LeaseRuns("outage", "restart", runs: 1, "gpu-o", gpus: 1);
        var lease = Assert.Single(grants);
        var run = await scenario.Start(lease);

        // The server goes down (every activation with it) for longer than a lease lives, then comes back.
        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        cluster.Clock.Advance(ClusterFixture.LeaseTtl + TimeSpan.FromSeconds(30));

        // The pool could not hear heartbeats while it was down: the lease is not expired, the worker's next heartbeat renews it.
        Assert.Empty(await scenario.Pool.SweepExpiredLeases());
        cluster.Clock.Advance(TimeSpan.FromSeconds(5));
        var ack = await scenario.Pool.Heartbeat(worker, [lease.LeaseId]);
        Assert.Equal([lease.LeaseId], ack.Renewed);
        Assert.Empty(ack.Lost);
        Assert.Equal(ReportOutcome.Applied, (await run.Progress(new ProgressReport(lease.LeaseId, 7, 1.5))).Outcome);
        Assert.Equal(RunState.Running, (await run.Get(Callers.Viewer(tenant))).Value!.State);

        // A worker that never comes back is still noticed: one TTL after the pool last heard it.
        cluster.Clock.Advance(ClusterFixture.LeaseTtl + TimeSpan.FromSeconds(1));
        Assert.Equal([lease.RunKey], await scenario.Pool.SweepExpiredLeases());
        Assert.Equal(RunState.Queued, (await run.Get(Callers.Viewer(tenant))).Value!.State);
    }

    [Fact]
    public async Task ReleasingALeaseWhoseRunIsStillHeldSendsTheRunBackToTheQueueSoNoRunIsLeftHeldByNobody()
    {
        await using var scenario = new PoolScenario(cluster);
        var (tenant, worker, grants) = await scenario.LeaseRuns("given", "back", runs: 1, "gpu-g", gpus: 1);
        var lease = Assert.Single(grants);
        var run = await scenario.Start(lease);
        await run.CheckpointSaved(new CheckpointSaved(lease.LeaseId, 10, $"{lease.RunKey}/step-10/", PoolScenario.Sha));

        Assert.True(await scenario.Pool.ReleaseLease(worker, lease.LeaseId));
        Assert.False(await scenario.Pool.ReleaseLease(worker, lease.LeaseId));

        Assert.Equal(RunState.Queued, (await run.Get(Callers.Viewer(tenant))).Value!.State);
        var again = Assert.Single(await scenario.Pool.RequestLeases(worker));
        Assert.Equal(lease.RunKey, again.RunKey);
        Assert.Equal(10, again.Work.ResumeFrom!.Step);
    }

    [Theory]
    [InlineData(0, 0, null, false)]      // before its recorded expiry
    [InlineData(130, 0, null, true)]     // past it, the pool listening all along, the worker never heard
    [InlineData(130, 60, null, false)]   // past it, but the pool came back only 70 s ago
    [InlineData(130, 0, 100, false)]     // past it, but a heartbeat was heard 30 s ago (storage could not save it)
    [InlineData(250, 0, 100, true)]      // heard, then silent for longer than a TTL
    public void ALeaseExpiresOnlyAfterThePoolListenedAWholeTtlWithoutHearingItsWorker(int nowSeconds, int listeningSinceSeconds, int? heardSeconds, bool expired)
    {
        var t0 = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var ttl = TimeSpan.FromSeconds(120);
        Assert.Equal(expired, Pool.LeaseExpiry.HasExpired(
            t0 + ttl, t0.AddSeconds(nowSeconds), t0.AddSeconds(listeningSinceSeconds), heardSeconds is { } h ? t0.AddSeconds(h) : null, ttl));
    }

    [Fact]
    public async Task HeartbeatsKeepALeaseAliveAndItExpiresOnceTheyStop()
    {
        await using var scenario = new PoolScenario(cluster);
        var (tenant, worker, grants) = await scenario.LeaseRuns("alive", "beat", runs: 1, "gpu-z", gpus: 1);
        var lease = Assert.Single(grants);

        for (var beat = 0; beat < 5; beat++)
        {
            cluster.Clock.Advance(TimeSpan.FromSeconds(100));
            var ack = await scenario.Pool.Heartbeat(worker, [lease.LeaseId]);
            Assert.Equal([lease.LeaseId], ack.Renewed);
            Assert.Equal(cluster.Clock.GetUtcNow() + ClusterFixture.LeaseTtl, ack.ExpiresAt);
        }

        Assert.Empty(await scenario.Pool.SweepExpiredLeases());
        var run = scenario.Run(lease);
        Assert.Equal(RunState.Leased, (await run.Get(Callers.Viewer(tenant))).Value!.State);

        cluster.Clock.Advance(ClusterFixture.LeaseTtl + TimeSpan.FromSeconds(1));
        // Any pool call sweeps first; the run goes straight back out to the asking worker.
        var again = Assert.Single(await scenario.Pool.RequestLeases(worker));
        Assert.Equal(lease.RunKey, again.RunKey);
        Assert.NotEqual(lease.LeaseId, again.LeaseId);
        var transitions = (await run.Get(Callers.Viewer(tenant))).Value!.Transitions;
        Assert.Equal([RunState.Queued, RunState.Leased, RunState.Queued, RunState.Leased], transitions.Select(t => t.To));
    }

    [Fact]
    public async Task ARunCancelledWhileQueuedIsNotLeasedAndItsDeviceGoesToTheNextRun()
    {
        await using var scenario = new PoolScenario(cluster);
        var tenant = await scenario.Tenant("cancel", weight: 1);
        await scenario.Submit(tenant, "skip", runs: 2);
        var first = scenario.Run(GrainKeys.Run(tenant, "skip", Specs.RunName(1)));
        await first.Cancel(Callers.Member(tenant), "not needed");
        var worker = await scenario.Worker("gpu-c", gpus: 1);

        var lease = Assert.Single(await scenario.Pool.RequestLeases(worker));

        Assert.Equal(GrainKeys.Run(tenant, "skip", Specs.RunName(2)), lease.RunKey);
        Assert.Equal(RunState.Cancelled, (await first.Get(Callers.Viewer(tenant))).Value!.State);
    }
}
