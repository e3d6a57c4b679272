using ForgetLab.Core.Scheduling;
using static ForgetLab.Core.Tests.Scheduling.Pool;

namespace ForgetLab.Core.Tests.Scheduling;

public class PreemptionPolicyTests
{
    private static readonly DateTimeOffset Now = T0.AddHours(10);

    private static RunningRun Running(string id, string tenant, PriorityClass cls, string worker = "w0", int devices = 1, double checkpointHoursAgo = 1, params double[] preemptedHoursAgo) =>
        new(id, tenant, cls, worker, DeviceKind.Cuda, devices, Now.AddHours(-checkpointHoursAgo), [.. preemptedHoursAgo.Select(h => Now.AddHours(-h))]);

    private static IReadOnlyList<PreemptionPlan> Plan(
        TenantShare[] tenants, IEnumerable<QueuedRun> queued, RunningRun[] running, WorkerDevices[] workers, PreemptionRules? rules = null)
    {
        var allocations = running.GroupBy(r => r.TenantId).Select(g => new Allocation(g.Key, g.Sum(r => r.Devices))).ToList();
        return PreemptionPolicy.Plan(tenants, RunQueue.From(queued), allocations, workers, running, [], Now, rules ?? PreemptionRules.Default);
    }

    [Fact]
    public void AHighRunPreemptsTheLowRunWithTheMostRecentCheckpoint()
    {
        var plans = Plan(
            [Tenant("a"), Tenant("b")],
            Runs("a", 1, kind: DeviceKind.Cuda, priorityClass: PriorityClass.High),
            [Running("old-ckpt", "b", PriorityClass.Low, checkpointHoursAgo: 2), Running("new-ckpt", "b", PriorityClass.Low, checkpointHoursAgo: 0.1)],
            [new WorkerDevices("w0", DeviceKind.Cuda, 2, 0)]);

        var plan = Assert.Single(plans);
        var victim = Assert.Single(plan.Victims);
        Assert.Equal("new-ckpt", victim.RunId);
        Assert.Equal(PreemptionReason.HigherClass, victim.Reason);
        Assert.Contains("class high over low", victim.Explanation);
        Assert.Equal(0.1, plan.DeviceHoursAtRisk, 6);
        Assert.Equal(new GangReservation("w0", "a-0"), plan.Reservation);
    }

    [Fact]
    public void BetweenEqualCheckpointsTheLowestClassIsPreempted()
    {
        var plans = Plan(
            [Tenant("a"), Tenant("b")],
            Runs("a", 1, kind: DeviceKind.Cuda, priorityClass: PriorityClass.High),
            [Running("normal", "b", PriorityClass.Normal), Running("low", "b", PriorityClass.Low)],
            [new WorkerDevices("w0", DeviceKind.Cuda, 2, 0)]);

        Assert.Equal("low", Assert.Single(Assert.Single(plans).Victims).RunId);
    }

    [Fact]
    public void ARunOfTheSameOrAHigherClassIsNeverPreemptedForClass()
    {
        var plans = Plan(
            [Tenant("a"), Tenant("b")],
            Runs("a", 1, kind: DeviceKind.Cuda, priorityClass: PriorityClass.Normal),
            [Running("normal", "b", PriorityClass.Normal), Running("high", "b", PriorityClass.High)],
            [new WorkerDevices("w0", DeviceKind.Cuda, 2, 0)]);

        Assert.Empty(plans);
    }

    [Fact]
    public void ARunPreemptedKTimesInTheWindowIsProtected()
    {
        var rules = new PreemptionRules(ProtectAfter: 2, Window: TimeSpan.FromHours(3), MaxPlans: 4);
        RunningRun[] running = [Running("looped", "b", PriorityClass.Low, preemptedHoursAgo: [1, 2])];
        WorkerDevices[] workers = [new("w0", DeviceKind.Cuda, 1, 0)];
        var high = Runs("a", 1, kind: DeviceKind.Cuda, priorityClass: PriorityClass.High).ToList();

        Assert.Empty(Plan([Tenant("a"), Tenant("b")], high, running, workers, rules));

        // One of the two preemptions is now outside the window: it may be preempted again.
        RunningRun[] older = [Running("looped", "b", PriorityClass.Low, preemptedHoursAgo: [1, 4])];
        Assert.Single(Plan([Tenant("a"), Tenant("b")], high, older, workers, rules));
    }

    [Fact]
    public void ATenantBelowItsGuaranteeReclaimsLentDevicesButNotBelowTheBorrowersOwnGuarantee()
    {
        // owner is guaranteed 2 and holds 0; borrower is guaranteed 2 and holds 3 (1 borrowed).
        RunningRun[] running =
        [
            Running("b1", "borrower", PriorityClass.Normal, checkpointHoursAgo: 0.5),
            Running("b2", "borrower", PriorityClass.Normal, checkpointHoursAgo: 0.2),
            Running("b3", "borrower", PriorityClass.Normal, checkpointHoursAgo: 0.9),
        ];
        var plans = Plan(
            [Tenant("owner", guaranteed: 2), Tenant("borrower", guaranteed: 2)],
            Runs("owner", 1, kind: DeviceKind.Cuda),
            running,
            [new WorkerDevices("w0", DeviceKind.Cuda, 3, 0)]);

        var victim = Assert.Single(Assert.Single(plans).Victims);
        Assert.Equal(("b2", PreemptionReason.ReclaimGuarantee), (victim.RunId, victim.Reason));
        Assert.Contains("reclaims", victim.Explanation);

        // A 2-device run would need both of borrower's... but only one device is lent: no plan.
        Assert.Empty(Plan(
            [Tenant("owner", guaranteed: 2), Tenant("borrower", guaranteed: 2)],
            Runs("owner", 1, devices: 2, kind: DeviceKind.Cuda),
            running,
            [new WorkerDevices("w0", DeviceKind.Cuda, 3, 0)]));
    }

    [Fact]
    public void ATenantAtOrAboveItsGuaranteeDoesNotReclaim()
    {
        var plans = Plan(
            [Tenant("a", guaranteed: 1), Tenant("b")],
            Runs("a", 1, kind: DeviceKind.Cuda),
            [Running("a-running", "a", PriorityClass.Normal, worker: "w1"), Running("b-running", "b", PriorityClass.Normal)],
            [new WorkerDevices("w0", DeviceKind.Cuda, 1, 0), new WorkerDevices("w1", DeviceKind.Cuda, 1, 0)]);

        Assert.Empty(plans);
    }

    [Fact]
    public void ARunThatFitsAFreeWorkerPreemptsNothing()
    {
        var plans = Plan(
            [Tenant("a"), Tenant("b")],
            Runs("a", 1, kind: DeviceKind.Cuda, priorityClass: PriorityClass.High),
            [Running("low", "b", PriorityClass.Low)],
            [new WorkerDevices("w0", DeviceKind.Cuda, 1, 0), new WorkerDevices("w1", DeviceKind.Cuda, 1, 1)]);

        Assert.Empty(plans);
    }

    [Fact]
    public void AGangPreemptsOnTheWorkerThatPutsTheLeastWorkAtRisk()
    {
        // A 2-device high run: w0 has one free device and a low run checkpointed 3 h ago; w1 has two low runs checkpointed 0.5 h ago.
        var plans = Plan(
            [Tenant("a"), Tenant("b")],
            Runs("a", 1, devices: 2, kind: DeviceKind.Cuda, priorityClass: PriorityClass.High),
            [
                Running("w0-low", "b", PriorityClass.Low, worker: "w0", checkpointHoursAgo: 3),
                Running("w1-low1", "b", PriorityClass.Low, worker: "w1", checkpointHoursAgo: 0.5),
                Running("w1-low2", "b", PriorityClass.Low, worker: "w1", checkpointHoursAgo: 0.5),
            ],
            [new WorkerDevices("w0", DeviceKind.Cuda, 2, 1), new WorkerDevices("w1", DeviceKind.Cuda, 2, 0)]);

        var plan = Assert.Single(plans);
        Assert.Equal("w1", plan.WorkerId);
        Assert.Equal(["w1-low1", "w1-low2"], plan.Victims.Select(v => v.RunId));
        Assert.Equal(1.0, plan.DeviceHoursAtRisk, 6);
    }

    [Fact]
    public void TwoWaitingRunsDoNotChooseTheSameVictim()
    {
        var plans = Plan(
            [Tenant("a"), Tenant("c"), Tenant("b")],
            [.. Runs("a", 1, kind: DeviceKind.Cuda, priorityClass: PriorityClass.High), .. Runs("c", 1, kind: DeviceKind.Cuda, priorityClass: PriorityClass.High)],
            [Running("low1", "b", PriorityClass.Low, worker: "w0"), Running("low2", "b", PriorityClass.Low, worker: "w1")],
            [new WorkerDevices("w0", DeviceKind.Cuda, 1, 0), new WorkerDevices("w1", DeviceKind.Cuda, 1, 0)]);

        Assert.Equal(2, plans.Count);
        Assert.Equal(2, plans.SelectMany(p => p.Victims).Select(v => v.RunId).Distinct().Count());
    }
}
