using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Tests.Analysis;

public class PairedProportionIntervalTests
{
    [Fact]
    public void WaldIntervalMatchesTheHandWorkedExample()
    {
        // b = 10 lost, c = 2 gained, n = 100: d = −0.08,
        // se = sqrt(12 − 64/100)/100 = sqrt(11.36)/100 = 0.033704599,
        // d ± 1.959964·se = [−0.146060, −0.013940].
        var ci = PairedProportionInterval.Wald95(b: 10, c: 2, n: 100);
        Assert.Equal(-0.146060, ci.Low, 6);
        Assert.Equal(-0.013940, ci.High, 6);
    }

    [Fact]
    public void NoDiscordantItemsGiveAZeroWidthIntervalAtZero() =>
        Assert.Equal(new ConfidenceInterval(0, 0), PairedProportionInterval.Wald95(0, 0, 50));

    [Fact]
    public void IntervalStaysWithinMinusOneAndOne()
    {
        var ci = PairedProportionInterval.Wald95(b: 3, c: 0, n: 4);
        Assert.InRange(ci.Low, -1.0, ci.High);
        Assert.InRange(ci.High, ci.Low, 1.0);
    }
}
