using ForgetLab.Worker.Outages;

namespace ForgetLab.Worker.Tests.Outages;

/// <summary>Reconnecting to a server that is down: exponential, capped, jittered.</summary>
public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    [Fact]
    public void TheWaitDoublesWithEachFailureAndStopsGrowingAtTheCap()
    {
        var backoff = new ReconnectBackoff(Initial, Max, TimeProvider.System, new Random(7));

        for (var failures = 1; failures <= 40; failures++)
        {
            var ceiling = Math.Min(Max.TotalSeconds, Initial.TotalSeconds * Math.Pow(2, failures - 1));
            var wait = backoff.DelayAfter(failures).TotalSeconds;
            Assert.InRange(wait, ceiling / 2, ceiling);
        }
        Assert.InRange(backoff.DelayAfter(int.MaxValue).TotalSeconds, Max.TotalSeconds / 2, Max.TotalSeconds);
    }

    [Fact]
    public void WorkersWaitingOnTheSameOutageDoNotAllRetryAtTheSameInstant()
    {
        var waits = Enumerable.Range(0, 20).Select(seed => new ReconnectBackoff(Initial, Max, TimeProvider.System, new Random(seed)).DelayAfter(6)).ToList();

        Assert.True(waits.Distinct().Count() > 15, string.Join(", ", waits));
    }
}
