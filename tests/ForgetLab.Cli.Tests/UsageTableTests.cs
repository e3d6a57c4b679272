using ForgetLab.Cli.Commands;
using ForgetLab.Contracts.Tenants;

namespace ForgetLab.Cli.Tests;

/// <summary><c>forgetlab usage</c>'s lines from a <c>GET /api/v1/usage</c> answer.</summary>
public class UsageTableTests
{
    [Fact]
    public void UsageShowsDevicesAndDeviceHoursAgainstTheQuotaWithWhatIsLeft()
    {
        var output = new StringWriter();
        UsageTable.Write(new TenantUsage("acme", 1, 4, 2.5, 10, 3), output);

        Assert.Contains("devices       1 in use / 4 max concurrent", output.ToString());
        Assert.Contains("device-hours  2.5 used / 10 (7.5 left)", output.ToString());
        Assert.Contains("runs queued   3", output.ToString());
    }

    [Fact]
    public void ATenantWithoutABudgetHasNoLimitAndNothingLeftToCount()
    {
        var output = new StringWriter();
        UsageTable.Write(new TenantUsage("acme", 0, 1, 0.25, null, 0), output);

        Assert.Contains("device-hours  0.25 used / no limit" + Environment.NewLine, output.ToString());
    }
}
