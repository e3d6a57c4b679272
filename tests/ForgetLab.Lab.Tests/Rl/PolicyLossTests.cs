using ForgetLab.Core.Specs.Rl;
using ForgetLab.Lab.Rl;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Rl;

/// <summary>TRL's loss aggregations and the PPO clip on examples worked by hand.</summary>
public class PolicyLossTests
{
    // Two completions: the first has tokens with losses 1 and 2, the second one token with loss 3; the rest is padding (loss 9, masked).
    private static Tensor PerToken() => tensor(new float[] { 1, 2, 9, 9, 3, 9, 9, 9 }, [2, 4]);

    private static Tensor Mask() => tensor(new float[] { 1, 1, 0, 0, 1, 0, 0, 0 }, [2, 4]);

    [Theory]
    [InlineData(RlLossType.Grpo, 2.25)]   // mean(3/2, 3/1)
    [InlineData(RlLossType.Dapo, 2.0)]    // 6 / 3 completion tokens
    [InlineData(RlLossType.DrGrpo, 0.75)] // 6 / (2 completions × max_completion_length 4)
    public void EachLossTypeAggregatesTheMaskedTokensAsTrlDoes(RlLossType type, double expected)
    {
        using var loss = PolicyLoss.Aggregate(PerToken(), Mask(), type, maxCompletionLength: 4);
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void TheClippedRatioCapsTheGainOfAPositiveAdvantageButNotThePenaltyOfANegativeOne()
    {
        // ratio 1.5 on one token each; ε = 0.2: A = +1 gives −min(1.5, 1.2) = −1.2; A = −1 gives −min(−1.5, −1.2) = 1.5.
        using var logp = tensor(new float[] { (float)Math.Log(1.5), (float)Math.Log(1.5) }, [2, 1]);
        using var old = zeros(2, 1);
        using var mask = ones(2, 1);
        using var positive = PolicyLoss.TokenLevel(logp.narrow(0, 0, 1), old.narrow(0, 0, 1), tensor(new float[] { 1 }), mask.narrow(0, 0, 1), 0.2, 0.2, RlLossType.Grpo, 1);
        using var negative = PolicyLoss.TokenLevel(logp.narrow(0, 1, 1), old.narrow(0, 1, 1), tensor(new float[] { -1 }), mask.narrow(0, 1, 1), 0.2, 0.2, RlLossType.Grpo, 1);
        Assert.Equal(-1.2, positive.item<float>(), 5);
        Assert.Equal(1.5, negative.item<float>(), 5);
    }

    [Fact]
    public void AtRatioOneTheGradientIsMinusTheAdvantageTimesTheLogProbGradient()
    {
        // One pass (old = logp.detach()): loss = −A, and d loss / d logp_t = −A / tokens under dapo.
        using var logp = tensor(new float[] { -1, -2, -0.5f }, [1, 3]).requires_grad_();
        using var loss = PolicyLoss.TokenLevel(logp, logp.detach(), tensor(new float[] { 2 }), ones(1, 3), 0.2, 0.2, RlLossType.Dapo, 3);
        loss.backward();
        Assert.Equal(-2.0, loss.item<float>(), 5);
        Assert.All(logp.grad!.data<float>().ToArray(), g => Assert.Equal(-2.0 / 3, g, 5));
    }

    [Fact]
    public void TheKlTermIsAddedPerTokenWithBetaBeforeAggregation()
    {
        using var logp = zeros(1, 2);
        using var kl = tensor(new float[] { 0.5f, 1.5f }, [1, 2]);
        using var loss = PolicyLoss.TokenLevel(logp, logp, tensor(new float[] { 0 }), ones(1, 2), 0.2, 0.2, RlLossType.Grpo, 2, kl, beta: 0.1);
        Assert.Equal(0.1, loss.item<float>(), 5); // advantage 0, so only β · mean(0.5, 1.5)
    }

    [Fact]
    public void RlooClipsTheSequenceRatio()
    {
        // Two tokens of log-ratio 0.2 each: sequence ratio e^0.4 = 1.49 > 1.2, A = 1 → −1.2.
        using var logp = tensor(new float[] { 0.2f, 0.2f }, [1, 2]);
        using var loss = PolicyLoss.SequenceLevel(logp, zeros(1, 2), tensor(new float[] { 1 }), ones(1, 2), 0.2, 0.2);
        Assert.Equal(-1.2, loss.item<float>(), 5);
    }
}
