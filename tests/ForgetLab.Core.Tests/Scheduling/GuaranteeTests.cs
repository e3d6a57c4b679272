using ForgetLab.Core.Scheduling;
using static ForgetLab.Core.Tests.Scheduling.Pool;

namespace ForgetLab.Core.Tests.Scheduling;

public class GuaranteeTests
{
    [Fact]
    public void ATenantBelowItsGuaranteeGoesBeforeALessLoadedTenantAtItsOwn()
    {
        // a holds 3 of its guaranteed 4; b holds 0 and has no guarantee: a's next run goes first.
        var decision = Decide(
            [Tenant("a", guaranteed: 4), Tenant("b")],
            [.. Runs("a", 5), .. Runs("b", 5)],
            Devices(1, 1),
            [new Allocation("a", 3)]);

        Assert.Equal("a", Assert.Single(decision.Placements).TenantId);
    }

    [Fact]
    public void IdleGuaranteedDevicesAreLentToTenantsWithWork()
    {
        // owner is guaranteed all 8 devices but has nothing queued: borrower takes them all.
        var decision = Decide([Tenant("owner", guaranteed: 8), Tenant("borrower")], Runs("borrower", 10), Devices(2, 4));

        Assert.Equal(new Dictionary<string, int> { ["borrower"] = 8 }, decision.DevicesByTenant());
    }

    [Fact]
    public void BorrowedDevicesAreThoseBeyondTheGuarantee()
    {
        var quota = new TenantQuota(int.MaxValue, double.PositiveInfinity, 0, GuaranteedDevices: 4);
        Assert.Equal(0, quota.Borrowed(3));
        Assert.Equal(2, quota.Borrowed(6));
    }
}
