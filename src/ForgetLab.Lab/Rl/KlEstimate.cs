using ForgetLab.Core.Specs.Rl;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Rl;

/// <summary>
/// Schulman's ("Approximating KL divergence", 2020) per-token estimates of KL(π ‖ π_ref) from tokens sampled
/// from π, with log r = log π_ref(x) − log π(x): k1 = −log r; k2 = ½ (log r)²; k3 = (r − 1) − log r.
/// k1 and k3 are unbiased; k3 is never negative (TRL's GRPO uses it: exp(ref − logp) − (ref − logp) − 1).
/// </summary>
public static class KlEstimate
{
    /// <summary>Per-token estimates (same shape as the inputs).</summary>
    public static Tensor PerToken(Tensor logProbs, Tensor refLogProbs, KlEstimator estimator)
    {
        var logRatio = refLogProbs - logProbs;
        return estimator switch
        {
            KlEstimator.K1 => -logRatio,
            KlEstimator.K2 => 0.5 * logRatio.square(),
            KlEstimator.K3 => logRatio.exp() - logRatio - 1,
            _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, null),
        };
    }

    /// <summary>One sample's estimate, for a token of probability p under π and q under π_ref.</summary>
    public static double Of(double logP, double logQ, KlEstimator estimator)
    {
        var logRatio = logQ - logP;
        return estimator switch
        {
            KlEstimator.K1 => -logRatio,
            KlEstimator.K2 => 0.5 * logRatio * logRatio,
            KlEstimator.K3 => Math.Exp(logRatio) - logRatio - 1,
            _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, null),
        };
    }
}
