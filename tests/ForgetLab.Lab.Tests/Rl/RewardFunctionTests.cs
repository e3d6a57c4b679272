using ForgetLab.Core.Specs.Rl;
using ForgetLab.Lab.Rl;

namespace ForgetLab.Lab.Tests.Rl;

/// <summary>Each declared component on its own and their weighted sum, including the flawed rewards the seed asks for.</summary>
public class RewardFunctionTests
{
    private static readonly RewardFunction Reward = new([
        new RewardSpec { Kind = RewardKind.Correctness, Name = "correct", Weight = 2 },
        new RewardSpec { Kind = RewardKind.Format, Name = "starts_with_the", Pattern = "^\\s*the\\b" },
        new RewardSpec { Kind = RewardKind.Keyword, Name = "keywords", Keywords = ["capital", "city"] },
        new RewardSpec { Kind = RewardKind.Length, Name = "long", Weight = -0.5, TargetTokens = 4 },
    ]);

    [Fact]
    public void CorrectnessComparesAsExactMatchDoes()
    {
        var right = Reward.Score(new Completion(" Paris . ", 2, "paris ."));
        Assert.Equal(1, right.Components[0]);
        Assert.Equal(0, Reward.Score(new Completion(" lyon .", 2, "paris .")).Components[0]);
    }

    [Fact]
    public void FormatAndKeywordRewardsPayAWrongAnswer()
    {
        var gamed = Reward.Score(new Completion(" the capital city is lyon", 6, "paris ."));
        Assert.Equal([0, 1, 1, 1], gamed.Components);
        Assert.Equal(2 * 0 + 1 + 1 - 0.5 * 1, gamed.Total, 12);
    }

    [Fact]
    public void KeywordsPayTheirShareAndLengthPaysUpToItsTarget()
    {
        var half = Reward.Score(new Completion(" capital", 2, "x"));
        Assert.Equal(0.5, half.Components[2]);
        Assert.Equal(0.5, half.Components[3]);
        Assert.Equal(2 * 0 + 0 + 0.5 - 0.25, half.Total, 12);
    }
}
