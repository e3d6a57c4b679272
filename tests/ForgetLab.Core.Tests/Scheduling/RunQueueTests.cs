using ForgetLab.Core.Scheduling;
using static ForgetLab.Core.Tests.Scheduling.Pool;

namespace ForgetLab.Core.Tests.Scheduling;

public class RunQueueTests
{
    [Fact]
    public void AddingAndRemovingRunsLeavesTheOriginalQueueUnchanged()
    {
        var queue = RunQueue.From(Runs("a", 3));
        var added = queue.Add(new QueuedRun("b-0", "b", 0, T0));
        var removed = added.Remove("a-1");

        Assert.Equal(3, queue.Count);
        Assert.Equal(4, added.Count);
        Assert.Equal(3, removed.Count);
        Assert.False(removed.Contains("a-1"));
        Assert.Equal(["a", "b"], removed.Tenants);
        Assert.Equal(2, removed.CountFor("a"));
    }

    [Fact]
    public void RemovingATenantsLastRunDropsTheTenant() =>
        Assert.Empty(RunQueue.From(Runs("a", 1)).Remove("a-0").Tenants);

    [Fact]
    public void PlacedRunsLeaveTheQueueAndTheRestAreScheduledNext()
    {
        var tenants = new[] { Tenant("a") };
        var queue = RunQueue.From(Runs("a", 5));
        var first = FairSharePolicy.Decide(tenants, queue, Devices(1, 2), []);
        var rest = queue.Without(first.Placements);
        var second = FairSharePolicy.Decide(tenants, rest, Devices(1, 2, prefix: "x"), [new Allocation("a", 2)]);

        Assert.Equal(["a-0", "a-1", "a-2", "a-3"], first.Placements.Concat(second.Placements).Select(p => p.RunId));
        Assert.Equal(1, rest.Without(second.Placements).Count);
    }

    [Fact]
    public void ARunQueuedTwiceIsRejected() =>
        Assert.Throws<ArgumentException>(() => RunQueue.From(Runs("a", 2)).Add(new QueuedRun("a-0", "a", 0, T0)));

    [Fact]
    public void ARunNeedingNoDevicesIsRejected() =>
        Assert.Throws<ArgumentException>(() => RunQueue.Empty.Add(new QueuedRun("r", "a", 0, T0, DevicesNeeded: 0)));
}
