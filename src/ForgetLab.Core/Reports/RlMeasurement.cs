namespace ForgetLab.Core.Reports;

/// <summary>
/// What a reward-fine-tuned checkpoint is measured on beside every suite, so reward hacking and an absent
/// KL show in the same report as the forgetting: the reward on train and held-out prompts (each component
/// on its own), KL(π ‖ π_base) on the target prompts (RL's Razor's forgetting predictor) and on general text,
/// the policy's entropy and its completions' length. KL is measured against the base — the run's
/// starting model — whatever the run's β, so drift is never invisible (TRL logs no KL at β 0).
/// </summary>
/// <param name="TrainReward">Reward on prompts the run trains on; null for DPO, which has no reward.</param>
/// <param name="HeldOutReward">Reward on the target prompts held out of training; null for DPO or when none are held out.</param>
/// <param name="KlTargetPrompts">Mean per-token KL(π ‖ π_base), exact over the vocabulary, at each position of the policy's own completions to the target prompts (nats/token).</param>
/// <param name="KlGeneralText">Mean per-token KL(π ‖ π_base) on held pre-training text (nats/token).</param>
/// <param name="Entropy">Mean per-token entropy of π on its own completions (nats/token).</param>
/// <param name="ResponseLength">Mean completion length in tokens (EOS included when produced).</param>
public sealed record RlMeasurement(
    RewardMeasurement? TrainReward,
    RewardMeasurement? HeldOutReward,
    double KlTargetPrompts,
    double KlGeneralText,
    double Entropy,
    double ResponseLength)
{
    /// <summary>The KL coefficient in force at this checkpoint (it moves under the adaptive controller).</summary>
    public double Beta { get; init; }
}

/// <summary>The mean reward over sampled completions, and each declared component's mean (unweighted).</summary>
public sealed record RewardMeasurement(double Mean, IReadOnlyDictionary<string, double> Components, int Completions);
