using ForgetLab.Core.Scheduling;
using static ForgetLab.Core.Tests.Scheduling.Pool;

namespace ForgetLab.Core.Tests.Scheduling;

public class FairSharePolicyTests
{
    [Fact]
    public void EqualWeightsSplitDevicesEvenly()
    {
        var decision = Decide(
            [Tenant("a"), Tenant("b"), Tenant("c")],
            [.. Runs("a", 10), .. Runs("b", 10), .. Runs("c", 10)],
            Devices(workers: 3, perWorker: 4));

        Assert.Equal(new Dictionary<string, int> { ["a"] = 4, ["b"] = 4, ["c"] = 4 }, decision.DevicesByTenant());
        Assert.All(decision.Waiting, w => Assert.Equal(WaitReason.NoMatchingDevice, w.Reason));
    }

    [Fact]
    public void WeightsOneToThreeSplitDevicesOneToThree()
    {
        var decision = Decide(
            [Tenant("light", weight: 1), Tenant("heavy", weight: 3)],
            [.. Runs("light", 20), .. Runs("heavy", 20)],
            Devices(workers: 4, perWorker: 4));

        Assert.Equal(new Dictionary<string, int> { ["light"] = 4, ["heavy"] = 12 }, decision.DevicesByTenant());
    }

    [Fact]
    public void DevicesAlreadyHeldCountTowardTheShare()
    {
        var decision = Decide(
            [Tenant("a"), Tenant("b")],
            [.. Runs("a", 10), .. Runs("b", 10)],
            Devices(workers: 1, perWorker: 6),
            [new Allocation("a", 4)]);

        // b catches up to a's 4, then they alternate: a 4+1, b 0+5.
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 5 }, decision.DevicesByTenant());
    }

    [Fact]
    public void EquallyLoadedTenantsAreServedInTenantIdOrder()
    {
        var decision = Decide([Tenant("b"), Tenant("a")], [.. Runs("b", 1), .. Runs("a", 1)], Devices(1, 1));
        Assert.Equal("a", Assert.Single(decision.Placements).TenantId);
    }

    [Fact]
    public void ATenantAtItsConcurrentQuotaGetsNothingWhileOthersDo()
    {
        var decision = Decide(
            [Tenant("capped", maxDevices: 2), Tenant("free")],
            [.. Runs("capped", 5), .. Runs("free", 5)],
            Devices(workers: 1, perWorker: 4),
            [new Allocation("capped", 2)]);

        Assert.Equal(new Dictionary<string, int> { ["free"] = 4 }, decision.DevicesByTenant());
        Assert.Contains(new WaitingTenant("capped", WaitReason.OverConcurrentQuota, 5), decision.Waiting);
    }

    [Fact]
    public void ATenantStopsAtItsConcurrentQuotaWithinARound()
    {
        var decision = Decide([Tenant("a", maxDevices: 3)], Runs("a", 10), Devices(workers: 2, perWorker: 4));

        Assert.Equal(3, decision.Placements.Count);
        Assert.Equal([new WaitingTenant("a", WaitReason.OverConcurrentQuota, 7)], decision.Waiting);
    }

    [Fact]
    public void ATenantOutOfDeviceHoursGetsNothingWhileOthersDo()
    {
        var decision = Decide(
            [Tenant("spent", weight: 10, budget: 100, used: 100), Tenant("funded", budget: 100, used: 99.5)],
            [.. Runs("spent", 5), .. Runs("funded", 5)],
            Devices(workers: 1, perWorker: 4));

        Assert.Equal(new Dictionary<string, int> { ["funded"] = 4 }, decision.DevicesByTenant());
        Assert.Contains(new WaitingTenant("spent", WaitReason.OverDeviceHours, 5), decision.Waiting);
    }

    [Fact]
    public void WithinATenantHigherPriorityGoesFirstThenOlder()
    {
        QueuedRun[] runs =
        [
            new("low-old", "a", 0, T0),
            new("high-new", "a", 5, T0.AddHours(2)),
            new("mid-new", "a", 1, T0.AddHours(3)),
            new("high-old", "a", 5, T0.AddHours(1)),
            new("mid-old", "a", 1, T0.AddHours(-1)),
        ];

        var decision = Decide([Tenant("a")], runs, Devices(1, 4));

        Assert.Equal(["high-old", "high-new", "mid-old", "mid-new"], decision.Placements.Select(p => p.RunId));
    }

    [Fact]
    public void RunsOnlyGetDevicesOfTheKindTheyNeed()
    {
        var decision = Decide(
            [Tenant("gpu"), Tenant("cpu")],
            [.. Runs("gpu", 3, kind: DeviceKind.Cuda), .. Runs("cpu", 3, kind: DeviceKind.Cpu)],
            Devices(workers: 1, perWorker: 2, kind: DeviceKind.Cpu));

        Assert.Equal(new Dictionary<string, int> { ["cpu"] = 2 }, decision.DevicesByTenant());
        Assert.All(decision.Placements, p => Assert.All(p.DeviceIds, id => Assert.StartsWith("cpu:", id)));
        Assert.Contains(new WaitingTenant("gpu", WaitReason.NoMatchingDevice, 3), decision.Waiting);
    }

    [Fact]
    public void ARunForAnyKindTakesWhateverIsFree()
    {
        var decision = Decide([Tenant("a")], Runs("a", 2, kind: DeviceKind.Any), Devices(1, 2, DeviceKind.Cuda));
        Assert.Equal(2, decision.Placements.Count);
    }

    [Fact]
    public void AMultiDeviceRunIsNotPlacedOnFewerDevicesOrAcrossWorkers()
    {
        // Four free devices in all, but only two on each worker.
        var decision = Decide([Tenant("a")], Runs("a", 1, devices: 4, kind: DeviceKind.Cuda), Devices(workers: 2, perWorker: 2));

        Assert.Empty(decision.Placements);
        Assert.Equal([new WaitingTenant("a", WaitReason.NoMatchingDevice, 1)], decision.Waiting);
    }

    [Fact]
    public void AMultiDeviceRunGetsAllItsDevicesOnOneWorker()
    {
        var decision = Decide([Tenant("a")], Runs("a", 1, devices: 4), Devices(workers: 1, perWorker: 4));

        var placement = Assert.Single(decision.Placements);
        Assert.Equal(["cuda:0", "cuda:1", "cuda:2", "cuda:3"], placement.DeviceIds);
    }

    [Fact]
    public void SingleDeviceRunsFillPartlyUsedWorkersAndLeaveWholeWorkersForLargeRuns()
    {
        // w0 has 1 free device, w1 has 4. The small run goes first (older) and must take w0's device.
        QueuedRun[] runs = [new("small", "a", 0, T0, 1, DeviceKind.Cuda), new("large", "a", 0, T0.AddMinutes(1), 4, DeviceKind.Cuda)];
        var devices = Devices(1, 1, prefix: "w").Concat(Devices(1, 4, prefix: "x")).ToList();

        var decision = Decide([Tenant("a")], runs, devices);

        Assert.Equal([("small", "w0"), ("large", "x0")], decision.Placements.Select(p => (p.RunId, p.WorkerId)));
    }

    [Fact]
    public void AHigherPriorityRunThatCannotFitLetsTheTenantsSmallerRunsThrough()
    {
        QueuedRun[] runs = [new("big", "a", 9, T0, 8, DeviceKind.Cuda), new("small", "a", 0, T0, 1, DeviceKind.Cuda)];

        var decision = Decide([Tenant("a")], runs, Devices(1, 4));

        Assert.Equal("small", Assert.Single(decision.Placements).RunId);
        Assert.Equal([new WaitingTenant("a", WaitReason.NoMatchingDevice, 1)], decision.Waiting);
    }

    [Fact]
    public void ARunLargerThanTheTenantsQuotaWaitsForQuota()
    {
        var decision = Decide([Tenant("a", maxDevices: 2)], Runs("a", 1, devices: 4), Devices(1, 4));

        Assert.Empty(decision.Placements);
        Assert.Equal([new WaitingTenant("a", WaitReason.OverConcurrentQuota, 1)], decision.Waiting);
    }

    [Fact]
    public void ATenantWithNoQueueDoesNotBlockOthers()
    {
        var decision = Decide(
            [Tenant("idle", weight: 100), Tenant("busy")],
            Runs("busy", 10),
            Devices(workers: 2, perWorker: 4));

        Assert.Equal(new Dictionary<string, int> { ["busy"] = 8 }, decision.DevicesByTenant());
        Assert.DoesNotContain(decision.Waiting, w => w.TenantId == "idle");
    }

    [Fact]
    public void TheSameInputsInAnyOrderGiveTheSameDecision()
    {
        var tenants = new List<TenantShare> { Tenant("a", 1), Tenant("b", 2), Tenant("c", 4, maxDevices: 5) };
        var runs = tenants.SelectMany(t => Runs(t.TenantId, 12, devices: t.TenantId == "b" ? 2 : 1)).ToList();
        var devices = Devices(workers: 5, perWorker: 4);
        var allocations = new List<Allocation> { new("a", 1), new("c", 2) };
        var expected = Decide(tenants, runs, devices, allocations);

        var random = new Random(11);
        for (var i = 0; i < 20; i++)
        {
            var again = Decide(Shuffled(tenants, random), Shuffled(runs, random), Shuffled(devices, random), Shuffled(allocations, random));
            Assert.Equal(expected, again);
        }
    }

    [Fact]
    public void ANonPositiveWeightIsRejected() =>
        Assert.Throws<ArgumentException>(() => Decide([Tenant("a", weight: 0)], Runs("a", 1), Devices(1, 1)));

    [Fact]
    public void RunsOfATenantNotListedAreRejected() =>
        Assert.Throws<ArgumentException>(() => Decide([Tenant("a")], Runs("ghost", 1), Devices(1, 1)));

    [Fact]
    public void ADeviceListedTwiceIsRejected() =>
        Assert.Throws<ArgumentException>(() => Decide([Tenant("a")], Runs("a", 1), [.. Devices(1, 1), .. Devices(1, 1)]));

    private static List<T> Shuffled<T>(IReadOnlyList<T> items, Random random)
    {
        var copy = items.ToArray();
        random.Shuffle(copy);
        return [.. copy];
    }
}
