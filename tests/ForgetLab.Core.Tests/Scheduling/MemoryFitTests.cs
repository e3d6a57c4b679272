using ForgetLab.Core.Scheduling;
using static ForgetLab.Core.Tests.Scheduling.Pool;

namespace ForgetLab.Core.Tests.Scheduling;

public class MemoryFitTests
{
    [Fact]
    public void ARunIsPlacedOnlyOnADeviceWithTheMemoryItNeeds()
    {
        var devices = DevicesWithMemory(1, 1, 40 * GiB, prefix: "small").Concat(DevicesWithMemory(1, 1, 80 * GiB, prefix: "large")).ToList();

        var decision = Decide([Tenant("a")], Runs("a", 1, memory: 60 * GiB), devices);

        Assert.Equal("large0", Assert.Single(decision.Placements).WorkerId);
    }

    [Fact]
    public void ASmallRunTakesTheSmallestDeviceThatSufficesAndLeavesTheLargeOneForALargeRun()
    {
        var devices = DevicesWithMemory(1, 1, 80 * GiB, prefix: "large").Concat(DevicesWithMemory(1, 1, 40 * GiB, prefix: "small")).ToList();
        QueuedRun[] runs = [new("small-run", "a", 0, T0, MemoryBytes: 10 * GiB), new("large-run", "a", 0, T0.AddMinutes(1), MemoryBytes: 70 * GiB)];

        var decision = Decide([Tenant("a")], runs, devices);

        Assert.Equal([("small-run", "small0"), ("large-run", "large0")], decision.Placements.Select(p => (p.RunId, p.WorkerId)));
    }

    [Fact]
    public void ARunThatFitsNoFreeDeviceWaitsAndLetsOthersThrough()
    {
        var decision = Decide(
            [Tenant("big"), Tenant("small")],
            [.. Runs("big", 1, memory: 100 * GiB), .. Runs("small", 1, memory: 1 * GiB)],
            DevicesWithMemory(1, 2, 40 * GiB));

        Assert.Equal("small", Assert.Single(decision.Placements).TenantId);
        Assert.Contains(new WaitingTenant("big", WaitReason.NoMatchingDevice, 1), decision.Waiting);
    }

    [Fact]
    public void ADeviceThatReportsNoMemoryTakesOnlyRunsThatDeclareNone()
    {
        var decision = Decide([Tenant("a")], [.. Runs("a", 1, memory: 1 * GiB, prefix: "sized"), .. Runs("a", 1, prefix: "plain")], Devices(1, 2));

        Assert.Equal("plain-0", Assert.Single(decision.Placements).RunId);
    }

    [Fact]
    public void ARunNeedingMoreMemoryThanAnyRegisteredDeviceIsReportedAsNotFitting()
    {
        WorkerDevices[] workers = [new("w0", DeviceKind.Cuda, 4, 0, 40 * GiB), new("w1", DeviceKind.Cuda, 8, 8, 80 * GiB)];

        Assert.Equal(WaitReason.NotEnoughMemory, PlacementFeasibility.Check(new QueuedRun("r", "a", 0, T0, 1, DeviceKind.Cuda, MemoryBytes: 100 * GiB), workers));
        Assert.Equal(WaitReason.NoWorkerLargeEnough, PlacementFeasibility.Check(new QueuedRun("r", "a", 0, T0, 16, DeviceKind.Cuda), workers));
        Assert.Equal(WaitReason.NoWorkerLargeEnough, PlacementFeasibility.Check(new QueuedRun("r", "a", 0, T0, 1, DeviceKind.Cpu), workers));
        Assert.Null(PlacementFeasibility.Check(new QueuedRun("r", "a", 0, T0, 8, DeviceKind.Cuda, MemoryBytes: 80 * GiB), workers));
    }

    [Fact]
    public void ANonPositiveMemoryRequirementIsRejectedNamingTheRun()
    {
        var error = Assert.Throws<ArgumentException>(() => RunQueue.From([new QueuedRun("r1", "a", 0, T0, MemoryBytes: 0)]));
        Assert.Contains("'r1'", error.Message);
    }
}
