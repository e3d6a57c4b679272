using ForgetLab.Core.Specs.Rl;
using ForgetLab.Lab.Rl;

namespace ForgetLab.Lab.Tests.Rl;

/// <summary>GRPO, RLOO and REINFORCE advantages on groups worked by hand (TRL's formulas, torch's unbiased std, ε = 1e-4).</summary>
public class AdvantagesTests
{
    [Theory]
    [InlineData(ScaleRewards.Group)]
    [InlineData(ScaleRewards.Batch)]
    [InlineData(ScaleRewards.None)]
    public void AGroupWhoseRewardsAreAllEqualHasZeroAdvantage(ScaleRewards scale)
    {
        var advantages = Advantages.Grpo([0.7, 0.7, 0.7, 0.7, 1, 0, 1, 0], groupSize: 4, scale);
        Assert.All(advantages.Take(4), a => Assert.True(Math.Abs(a) < 1e-9, $"advantage {a}"));   // zero up to rounding of the mean
        Assert.All(Advantages.Rloo([0.3, 0.3, 0.3], 3, normalize: false), a => Assert.True(Math.Abs(a) < 1e-9, $"advantage {a}"));
    }

    [Fact]
    public void GrpoCentresOnTheGroupMeanAndDividesByTheGroupStd()
    {
        // Group [1, 0, 0, 1]: mean 0.5, unbiased std sqrt(4·0.25/3) = 0.57735.
        var a = Advantages.Grpo([1, 0, 0, 1], 4, ScaleRewards.Group);
        var std = Math.Sqrt(1.0 / 3);
        Assert.Equal([0.5 / (std + 1e-4), -0.5 / (std + 1e-4), -0.5 / (std + 1e-4), 0.5 / (std + 1e-4)], a, new Tolerance(1e-12));
        Assert.Equal([0.5, -0.5, -0.5, 0.5], Advantages.Grpo([1, 0, 0, 1], 4, ScaleRewards.None), new Tolerance(1e-12));
    }

    [Fact]
    public void GrpoWithBatchScalingDividesEveryGroupByTheStdOfTheWholeBatch()
    {
        // Batch [2, 0, 1, 1]: groups of 2 with means 1 and 1; batch std sqrt(2/3).
        var a = Advantages.Grpo([2, 0, 1, 1], 2, ScaleRewards.Batch);
        var std = Math.Sqrt(2.0 / 3);
        Assert.Equal([1 / (std + 1e-4), -1 / (std + 1e-4), 0, 0], a, new Tolerance(1e-12));
    }

    [Fact]
    public void RlooSubtractsTheMeanOfTheOtherCompletionsOfTheSamePrompt()
    {
        // [1, 0, 0]: 1 − 0, 0 − 0.5, 0 − 0.5; second group [2, 4]: 2 − 4, 4 − 2.
        Assert.Equal([1, -0.5, -0.5], Advantages.Rloo([1, 0, 0], 3, normalize: false), new Tolerance(1e-12));
        Assert.Equal([-2, 2], Advantages.Rloo([2, 4], 2, normalize: false), new Tolerance(1e-12));
        var normalized = Advantages.Rloo([1, 0, 0, 2, 4, 0], 3, normalize: true);
        Assert.Equal(0, normalized.Average(), 9);
    }

    [Fact]
    public void ReinforceSubtractsTheBatchMean() =>
        Assert.Equal([0.5, -0.5, 1.5, -1.5], Advantages.Reinforce([2, 1, 3, 0]), new Tolerance(1e-12));

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
