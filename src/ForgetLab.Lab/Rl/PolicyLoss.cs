using ForgetLab.Core.Specs.Rl;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Rl;

/// <summary>
/// The clipped policy-gradient losses, as TRL at f2cd577 computes them.
/// Token level (<c>GRPOTrainer._compute_loss</c>): ρ = exp(logp − logp_old), loss_t = −min(ρ·A, clip(ρ, 1−ε_low, 1+ε_high)·A)
/// (+ β·KL_t when the KL is a loss term), aggregated by <c>loss_type</c>:
/// grpo = mean over completions of (Σ_t mask·loss / Σ_t mask); dr_grpo = Σ mask·loss / (B · max_completion_length);
/// dapo = Σ mask·loss / (the batch's completion tokens).
/// Sequence level (<c>RLOOTrainer._compute_loss</c>): ρ = exp(Σ_t logp − Σ_t logp_old), loss = mean over completions of −min(ρ·A, clip(ρ)·A).
/// </summary>
public static class PolicyLoss
{
    /// <param name="logProbs">(B, T) log-probabilities of the sampled tokens under the policy being trained.</param>
    /// <param name="oldLogProbs">(B, T) the same under the policy that sampled them (no gradient).</param>
    /// <param name="advantages">(B) one advantage per completion.</param>
    /// <param name="mask">(B, T) 1 on completion tokens, 0 on padding.</param>
    /// <param name="perTokenKl">(B, T) the KL estimate to add with <paramref name="beta"/>, or null.</param>
    public static Tensor TokenLevel(
        Tensor logProbs, Tensor oldLogProbs, Tensor advantages, Tensor mask, double epsilonLow, double epsilonHigh,
        RlLossType lossType, int maxCompletionLength, Tensor? perTokenKl = null, double beta = 0)
    {
        var a = advantages.unsqueeze(1);                                             // (B, 1)
        var ratio = (logProbs - oldLogProbs).exp();                                  // (B, T)
        var clipped = ratio.clamp(1 - epsilonLow, 1 + epsilonHigh);
        var perToken = -minimum(ratio * a, clipped * a);                             // (B, T)
        if (perTokenKl is not null && beta != 0) perToken = perToken + beta * perTokenKl;
        return Aggregate(perToken, mask, lossType, maxCompletionLength);
    }

    /// <summary>TRL's <c>loss_type</c> reductions of a per-token loss (B, T) under its mask.</summary>
    public static Tensor Aggregate(Tensor perToken, Tensor mask, RlLossType lossType, int maxCompletionLength)
    {
        var masked = perToken * mask;
        return lossType switch
        {
            RlLossType.Grpo => (masked.sum(1) / mask.sum(1).clamp_min(1.0)).mean(),
            RlLossType.DrGrpo => masked.sum() / (perToken.shape[0] * (double)maxCompletionLength),
            RlLossType.Dapo => masked.sum() / mask.sum().clamp_min(1.0),
            _ => throw new ArgumentOutOfRangeException(nameof(lossType), lossType, null),
        };
    }

    /// <summary>RLOO's sequence-level clipped loss.</summary>
    public static Tensor SequenceLevel(Tensor logProbs, Tensor oldLogProbs, Tensor advantages, Tensor mask, double epsilonLow, double epsilonHigh)
    {
        var logRatio = ((logProbs - oldLogProbs) * mask).sum(1);                     // (B)
        var ratio = logRatio.exp();
        var clipped = ratio.clamp(1 - epsilonLow, 1 + epsilonHigh);
        return (-minimum(ratio * advantages, clipped * advantages)).mean();
    }
}
