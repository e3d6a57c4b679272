namespace ForgetLab.Worker.Tests;

/// <summary><c>--max-leases</c>: a worker keeps at most that many grants over its life, gives back the rest, and is then spent.</summary>
public class LeaseAllowanceTests
{
    [Fact]
    public void WithoutALimitEveryGrantIsKeptAndTheWorkerIsNeverSpent()
    {
        var allowance = LeaseAllowance.From(null);

        Assert.Equal(3, allowance.Keep(3));
        Assert.Equal(5, allowance.Keep(5));
        Assert.True(allowance.MayAsk);
        Assert.False(allowance.Spent);
    }

    [Fact]
    public void GrantsBeyondTheLimitAreNotKeptAndTheWorkerAsksNoMore()
    {
        var allowance = LeaseAllowance.From(2);

        Assert.Equal(1, allowance.Keep(1));
        Assert.True(allowance.MayAsk);
        // One request can bring a grant per free device: only what is left of the limit is kept.
        Assert.Equal(1, allowance.Keep(3));
        Assert.Equal((2, false, true), (allowance.Taken, allowance.MayAsk, allowance.Spent));
        Assert.Equal(0, allowance.Keep(1));
        Assert.Equal(2, allowance.Taken);
    }

    [Fact]
    public void AnEmptyAnswerTakesNothing()
    {
        var allowance = LeaseAllowance.From(1);

        Assert.Equal(0, allowance.Keep(0));
        Assert.Equal((0, true), (allowance.Taken, allowance.MayAsk));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ALimitBelowOneIsRefusedNamingTheSwitchAndTheSetting(int max)
    {
        var refused = Assert.Throws<ArgumentException>(() => LeaseAllowance.From(max));

        Assert.Equal($"--max-leases (ForgetLab:Worker:MaxLeases): must be a whole number ≥ 1, got {max}", refused.Message);
    }
}
