using ForgetLab.Contracts.Pool;
using ForgetLab.Dashboard.Pages.Pool;

namespace ForgetLab.Dashboard.Tests;

public sealed class PoolPageTests : DashboardTestContext
{
    private static readonly DateTimeOffset Queued = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void QueuedRunsShowTheirClassMemoryHeldWorkerAndWhyTheyCannotBePlaced()
    {
        Data.PoolSnapshot = new PoolSnapshot(
            [new WorkerRegistration("w1", [new WorkerDevice("cuda:0", "cuda", 40L << 30), new WorkerDevice("cuda:1", "cuda", 40L << 30)])],
            [], [], 2)
        {
            Queued =
            [
                new QueuedRunStatus("t/e/pair", "t", "high", 2, "cuda", null, Queued, null, "w1"),
                new QueuedRunStatus("t/e/large", "t", "low", 1, "cuda", 60L << 30, Queued, "needs 60.0 GiB per device; the largest cuda device has 40.0 GiB (worker w1 cuda:0)", null),
            ],
        };

        var page = Render<PoolPage>();

        var rows = page.FindAll("#pool-queue tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("high", rows[0]);
        Assert.Contains("w1", rows[0]);
        Assert.Contains("60.0 GiB", rows[1]);
        Assert.Contains("needs 60.0 GiB per device; the largest cuda device has 40.0 GiB (worker w1 cuda:0)", rows[1]);
        Assert.All(page.FindAll("#pool-worker-table tbody tr"), r => Assert.Contains("free, held for t/e/pair", r.TextContent));
        Assert.Equal(["40.0 GiB", "40.0 GiB"], page.FindAll("#pool-worker-table tbody tr").Select(r => r.Children[3].TextContent.Trim()));
    }

    [Fact]
    public void TheClassesBorrowedDevicesAndPreemptionsOfThePoolAreShown()
    {
        var asked = Queued.AddMinutes(5);
        Data.PoolSnapshot = new PoolSnapshot(
            [new WorkerRegistration("w1", [new WorkerDevice("cuda:0", "cuda", 40L << 30)])],
            [new LeaseStatus("w1/7", "lender/e/r", "lender", "w1", ["cuda:0"], Queued, asked.AddMinutes(2)) { PriorityClass = "low", LastCheckpointAt = asked }],
            [
                new TenantAllocation("lender", 1, 4, null, 3, 0.5, 0) { GuaranteedDevices = 1 },
                new TenantAllocation("owner", 1, 4, null, 0, 0, 1) { GuaranteedDevices = 2 },
            ],
            1)
        {
            Preempting = [new PreemptionStatus("w1/7", "lender/e/r", "lender", "w1", "owner/e/mine", "owner", "reclaim_guarantee", "reclaims", asked, asked.AddMinutes(10), null, null)],
            Preempted = [new PreemptionStatus("w1/5", "lender/e/old", "lender", "w1", "urgent/e/x", "urgent", "higher_class", "class high over low", Queued, Queued.AddMinutes(10), "checkpointed", Queued.AddMinutes(1))],
            PreemptionProtectAfter = 2,
            PreemptionWindow = TimeSpan.FromMinutes(90),
        };

        var page = Render<PoolPage>();

        var tenants = page.FindAll("#pool-tenants tbody tr").ToDictionary(r => r.Children[0].TextContent, r => r.Children[4].TextContent);
        Assert.Equal("2", tenants["lender"]);
        Assert.Equal("0", tenants["owner"]);
        Assert.Contains("low", page.Find("#pool-leases tbody tr").TextContent);
        var preemptions = page.FindAll("#pool-preemptions tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(2, preemptions.Count);
        Assert.Contains("reclaim_guarantee", preemptions[0]);
        Assert.Contains("checkpointing", preemptions[0]);
        Assert.Contains("checkpointed at 09:31:00", preemptions[1]);
        // The caption states the pool's own protection rule, as its snapshot reports it.
        Assert.Contains("A run preempted 2 times in 90 minutes is left alone.", page.Markup);
    }
}
