using ForgetLab.Lab.Rl;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Rl;

public class DpoLossTests
{
    [Fact]
    public void TheSigmoidLossIsMinusLogSigmaOfBetaTimesTheDifferenceOfLogRatios()
    {
        // Δ = (−1 − −2) − (−3 − −2) = 2; β = 0.1 → −log σ(0.2) = log(1 + e^−0.2) = 0.598138869…
        // A second pair with Δ = −1 → log(1 + e^0.1) = 0.744396660…; the loss is their mean.
        using var loss = DpoLoss.Sigmoid(tensor(new[] { -1.0, -2.0 }), tensor(new[] { -3.0, -1.0 }), tensor(new[] { -2.0, -2.0 }), tensor(new[] { -2.0, -2.0 }), 0.1);
        Assert.Equal((Math.Log(1 + Math.Exp(-0.2)) + Math.Log(1 + Math.Exp(0.1))) / 2, loss.item<double>(), 10);
    }

    [Fact]
    public void APolicyEqualToItsReferenceHasLossLogTwo()
    {
        using var same = tensor(new[] { -4.0 });
        Assert.Equal(Math.Log(2), DpoLoss.Sigmoid(same, same, same, same, 0.5).item<double>(), 10);
    }
}
