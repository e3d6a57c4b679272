using static TorchSharp.torch;

namespace ForgetLab.Lab.Rl;

/// <summary>
/// DPO's sigmoid loss (Rafailov et al. 2023) as TRL's <c>DPOTrainer</c> computes it at f2cd577 (reverse KL,
/// <c>loss_type: sigmoid</c>): Δ = (log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l)),
/// loss = mean of −log σ(β·Δ). Log-probabilities are sums over each completion's tokens.
/// </summary>
public static class DpoLoss
{
    /// <param name="chosen">(B) summed log-probabilities of the preferred completions under the policy.</param>
    /// <param name="rejected">(B) the same for the dispreferred ones.</param>
    /// <param name="refChosen">(B) the preferred completions under the frozen reference.</param>
    /// <param name="refRejected">(B) the dispreferred ones under the reference.</param>
    public static Tensor Sigmoid(Tensor chosen, Tensor rejected, Tensor refChosen, Tensor refRejected, double beta)
    {
        var delta = (chosen - refChosen) - (rejected - refRejected);
        return (-nn.functional.logsigmoid(beta * delta)).mean();
    }
}
