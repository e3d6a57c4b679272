using ForgetLab.Core.Specs.Rl;
using ForgetLab.Lab.Rl;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Rl;

/// <summary>
/// Schulman's estimators against the closed-form KL(p ‖ q) of small categoricals: the expectation under p of an
/// estimator is an exact finite sum over the outcomes, so unbiasedness is checked to rounding, not by sampling.
/// </summary>
public class KlEstimateTests
{
    public static TheoryData<double[], double[]> Pairs() => new()
    {
        { [0.5, 0.3, 0.2], [0.2, 0.3, 0.5] },
        { [0.9, 0.05, 0.05], [1.0 / 3, 1.0 / 3, 1.0 / 3] },
        { [0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.1, 0.1] },
    };

    private static double ClosedForm(double[] p, double[] q) => p.Select((pi, i) => pi * Math.Log(pi / q[i])).Sum();

    private static double Expected(double[] p, double[] q, KlEstimator k) => p.Select((pi, i) => pi * KlEstimate.Of(Math.Log(pi), Math.Log(q[i]), k)).Sum();

    [Theory]
    [MemberData(nameof(Pairs))]
    public void K1AndK3AreUnbiasedEstimatesOfTheClosedFormKl(double[] p, double[] q)
    {
        var kl = ClosedForm(p, q);
        Assert.Equal(kl, Expected(p, q, KlEstimator.K1), 12);
        Assert.Equal(kl, Expected(p, q, KlEstimator.K3), 12);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void K3IsNeverNegativeWhileK1IsOnSomeOutcome(double[] p, double[] q)
    {
        for (var i = 0; i < p.Length; i++) Assert.True(KlEstimate.Of(Math.Log(p[i]), Math.Log(q[i]), KlEstimator.K3) >= 0);
        Assert.Contains(p.Select((pi, i) => KlEstimate.Of(Math.Log(pi), Math.Log(q[i]), KlEstimator.K1)), v => v < 0);
    }

    [Fact]
    public void K2IsBiased()
    {
        double[] p = [0.5, 0.3, 0.2], q = [0.2, 0.3, 0.5];
        Assert.NotEqual(ClosedForm(p, q), Expected(p, q, KlEstimator.K2), 3);
    }

    [Fact]
    public void TheTensorFormComputesThePerTokenValuesOfTheScalarForm()
    {
        double[] p = [0.5, 0.3, 0.2], q = [0.2, 0.3, 0.5];
        using var logP = tensor(p.Select(x => Math.Log(x)).ToArray());
        using var logQ = tensor(q.Select(x => Math.Log(x)).ToArray());
        foreach (var k in Enum.GetValues<KlEstimator>())
        {
            var values = KlEstimate.PerToken(logP, logQ, k).data<double>().ToArray();
            for (var i = 0; i < p.Length; i++) Assert.Equal(KlEstimate.Of(Math.Log(p[i]), Math.Log(q[i]), k), values[i], 12);
        }
    }
}
