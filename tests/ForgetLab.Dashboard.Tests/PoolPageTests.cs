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
}
