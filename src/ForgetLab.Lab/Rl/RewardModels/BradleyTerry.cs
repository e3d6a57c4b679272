using static TorchSharp.torch;

namespace ForgetLab.Lab.Rl.RewardModels;

/// <summary>
/// The Bradley–Terry loss a reward model is trained with, as TRL's <c>RewardTrainer.compute_loss</c> at f2cd577:
/// loss = mean of −log σ(r_chosen − r_rejected), plus, with <c>center_rewards_coefficient</c> c,
/// c · mean((r_chosen + r_rejected)²) (Eisenstein et al. 2023, eq. 2), which pulls the rewards toward mean zero.
/// </summary>
public static class BradleyTerry
{
    /// <param name="chosen">(B) rewards of the preferred sequences.</param>
    /// <param name="rejected">(B) rewards of the dispreferred ones.</param>
    public static Tensor Loss(Tensor chosen, Tensor rejected, double? centerCoefficient = null)
    {
        var loss = (-nn.functional.logsigmoid(chosen - rejected)).mean();
        return centerCoefficient is { } c ? loss + c * (chosen + rejected).pow(2).mean() : loss;
    }
}
