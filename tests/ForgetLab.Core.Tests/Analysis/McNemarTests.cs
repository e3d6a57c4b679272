using ForgetLab.Core.Analysis;
using MathNet.Numerics.Distributions;

namespace ForgetLab.Core.Tests.Analysis;

public class McNemarTests
{
    [Theory]
    // Hand-worked: 2·P(X ≤ 2), X ~ Bin(12, 1/2) = 2·(1 + 12 + 66)/4096 = 0.0385742…
    [InlineData(10, 2, 0.03857421875)]
    [InlineData(2, 10, 0.03857421875)]
    // 2·P(X ≤ 0), X ~ Bin(5, 1/2) = 2/32
    [InlineData(5, 0, 0.0625)]
    // 2·P(X ≤ 0), X ~ Bin(1, 1/2) = 1: one discordant item says nothing
    [InlineData(1, 0, 1.0)]
    // 2·(1 + 9)/512
    [InlineData(8, 1, 0.0390625)]
    public void ExactPValueMatchesHandWorkedBinomialTails(int b, int c, double expected) =>
        Assert.Equal(expected, McNemar.ExactPValue(b, c), 12);

    [Fact]
    public void NoDiscordantItemsGivesPOfOne() => Assert.Equal(1.0, McNemar.ExactPValue(0, 0));

    [Fact]
    public void EqualDiscordantCountsGivePOfOne() => Assert.Equal(1.0, McNemar.ExactPValue(1000, 1000));

    [Theory]
    [InlineData(1100, 1000)]
    [InlineData(30_000, 29_500)]
    public void LargeCountsAgreeWithTheRegularisedBetaBinomialCdf(int b, int c)
    {
        var expected = Math.Min(1.0, 2.0 * Binomial.CDF(0.5, b + c, Math.Min(b, c)));
        Assert.Equal(expected, McNemar.ExactPValue(b, c), 1e-9 * expected + 1e-300);
    }

    [Fact]
    public void HugeLopsidedCountsGiveAValidTinyPValueRatherThanNaN()
    {
        var p = McNemar.ExactPValue(60_000, 40_000);
        Assert.InRange(p, 0.0, 1e-100);
    }
}
