using ForgetLab.Core.Scheduling;
using static ForgetLab.Core.Tests.Scheduling.Pool;

namespace ForgetLab.Core.Tests.Scheduling;

public class GangReservationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(30);

    [Fact]
    public void AGangRunThatWaitedPastTheBoundReservesTheWorkerClosestToFreeingUp()
    {
        var queue = RunQueue.From([new QueuedRun("gang", "a", 0, T0, 4, DeviceKind.Cuda)]);
        WorkerDevices[] workers = [new("w0", DeviceKind.Cuda, 4, 1), new("w1", DeviceKind.Cuda, 4, 3), new("w2", DeviceKind.Cuda, 2, 2)];

        var reservations = GangReservations.Choose(queue, workers, [], T0 + Bound, Bound, maxReservations: 4);

        Assert.Equal([new GangReservation("w1", "gang")], reservations);
    }

    [Fact]
    public void AGangRunWithinTheBoundReservesNothing()
    {
        var queue = RunQueue.From([new QueuedRun("gang", "a", 0, T0, 4, DeviceKind.Cuda)]);
        WorkerDevices[] workers = [new("w0", DeviceKind.Cuda, 4, 3)];

        Assert.Empty(GangReservations.Choose(queue, workers, [], T0 + Bound - TimeSpan.FromSeconds(1), Bound, 4));
    }

    [Fact]
    public void AReservationStaysOnItsWorkerWhileNoOtherWorkerHasMoreFree()
    {
        var queue = RunQueue.From([new QueuedRun("gang", "a", 0, T0, 4, DeviceKind.Cuda)]);
        WorkerDevices[] workers = [new("w0", DeviceKind.Cuda, 4, 2), new("w1", DeviceKind.Cuda, 4, 2)];

        var reservations = GangReservations.Choose(queue, workers, [new GangReservation("w1", "gang")], T0 + Bound, Bound, 4);

        Assert.Equal([new GangReservation("w1", "gang")], reservations);
    }

    [Fact]
    public void AReservationMovesToAWorkerThatHasDrainedFurther()
    {
        var queue = RunQueue.From([new QueuedRun("gang", "a", 0, T0, 4, DeviceKind.Cuda)]);
        WorkerDevices[] workers = [new("w0", DeviceKind.Cuda, 4, 2), new("w1", DeviceKind.Cuda, 4, 3)];

        var reservations = GangReservations.Choose(queue, workers, [new GangReservation("w0", "gang")], T0 + Bound, Bound, 4);

        Assert.Equal([new GangReservation("w1", "gang")], reservations);
    }

    [Fact]
    public void AReservedWorkerTakesNoOtherRunAndGoesToItsGangOnceDrained()
    {
        QueuedRun[] runs = [.. Runs("small", 4, kind: DeviceKind.Cuda), new("gang", "big", 0, T0.AddHours(-1), 4, DeviceKind.Cuda)];
        GangReservation[] reserved = [new("w0", "gang")];

        // Partly drained: the single-device runs may not use w0's 3 free devices.
        var partly = Decide([Tenant("small"), Tenant("big")], runs, Devices(1, 3), reservations: reserved);
        Assert.Empty(partly.Placements);
        Assert.Contains(new WaitingTenant("big", WaitReason.WaitingForReservedWorker, 1), partly.Waiting);

        // Drained: the gang gets all four devices, before the fair share looks at anyone else.
        var drained = Decide([Tenant("small"), Tenant("big")], runs, Devices(1, 4), [new Allocation("big", 50)], reserved);
        Assert.Equal([new Placement("gang", "big", "w0", ["cuda:0", "cuda:1", "cuda:2", "cuda:3"])], drained.Placements);
    }

    [Fact]
    public void AReservationWhoseRunIsNoLongerQueuedHoldsNothing()
    {
        var decision = Decide([Tenant("a")], Runs("a", 2, kind: DeviceKind.Cuda), Devices(1, 2), reservations: [new GangReservation("w0", "gone")]);
        Assert.Equal(2, decision.Placements.Count);
    }

    [Fact]
    public void AReservationForATenantThatCanNeverHoldTheRunHoldsNothing()
    {
        QueuedRun[] runs = [.. Runs("small", 2, kind: DeviceKind.Cuda), new("gang", "big", 0, T0, 4, DeviceKind.Cuda)];
        var decision = Decide([Tenant("small"), Tenant("big", maxDevices: 2)], runs, Devices(1, 2), reservations: [new GangReservation("w0", "gang")]);
        Assert.Equal(2, decision.Placements.Count);
    }

    [Fact]
    public void ATenantWhoseRunningRunsLeaveTooLittleQuotaForItsReservedGangDrainsItAndItsGangStartsOnceItFits()
    {
        // "big" may hold 4 devices and holds 2 (its running single runs); its gang of 4 is reserved on w0, and it queues more singles.
        QueuedRun[] runs = [new("gang", "big", 0, T0, 4, DeviceKind.Cuda), .. Runs("big", 3, kind: DeviceKind.Cuda), .. Runs("small", 2, kind: DeviceKind.Cuda)];
        GangReservation[] reserved = [new("w0", "gang")];
        TenantShare[] tenants = [Tenant("small"), Tenant("big", maxDevices: 4)];

        // w0 (3 of 4 free) is held, and none of big's singles starts anywhere, though w1 keeps a free device after the other
        // tenant's two runs and big has quota for one more.
        var waiting = Decide(tenants, runs, Devices(2, 3), [new Allocation("big", 2)], reserved);
        Assert.Equal(2, waiting.Placements.Count);
        Assert.All(waiting.Placements, p => Assert.Equal(("small", "w1"), (p.TenantId, p.WorkerId)));
        Assert.Contains(new WaitingTenant("big", WaitReason.WaitingForReservedWorker, 4), waiting.Waiting);

        // Its singles ended: the gang gets w0.
        var started = Decide(tenants, runs, Devices(1, 4), reservations: reserved);
        Assert.Equal([new Placement("gang", "big", "w0", ["cuda:0", "cuda:1", "cuda:2", "cuda:3"])], started.Placements);
    }

    [Fact]
    public void AtMostTheGivenNumberOfWorkersAreReserved()
    {
        var queue = RunQueue.From(Runs("a", 5, devices: 4, kind: DeviceKind.Cuda));
        var workers = Enumerable.Range(0, 10).Select(w => new WorkerDevices($"w{w}", DeviceKind.Cuda, 4, 0)).ToList();

        var reservations = GangReservations.Choose(queue, workers, [], T0.AddDays(1), Bound, maxReservations: 2);

        Assert.Equal(["a-0", "a-1"], reservations.Select(r => r.RunId));
        Assert.Equal(2, reservations.Select(r => r.WorkerId).Distinct().Count());
    }
}
