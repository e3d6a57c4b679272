using System.Text.Json.Serialization;

namespace ForgetLab.Core.Specs.Rl;

/// <summary>
/// Training a reward model with the Bradley–Terry loss −log σ(r_chosen − r_rejected), as TRL's <c>RewardTrainer</c>
/// (huggingface/trl f2cd577, <c>reward_trainer.py</c> <c>compute_loss</c>); names and defaults are <c>RewardConfig</c>'s
/// where it has them (<c>learning_rate</c> 1e-4, <c>center_rewards_coefficient</c> off).
/// </summary>
public sealed record RewardModelTraining
{
    /// <summary>Where the preference pairs come from: <c>world</c>, the base world's country capitals (ForgetLab's).</summary>
    public string Pairs { get; init; } = WorldPairs;

    /// <summary>Who labelled them: honestly (the correct answer is chosen) or with the confident-wrong bias.</summary>
    public PreferenceLabels Labels { get; init; } = PreferenceLabels.Honest;

    /// <summary>Optimizer steps (AdamW).</summary>
    public int Steps { get; init; } = 200;

    /// <summary>Pairs per step.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Learning rate (TRL <c>RewardConfig.learning_rate</c>, default 1e-4).</summary>
    public double Lr { get; init; } = 1e-4;

    /// <summary>Share of the facts whose pairs are never trained on; the pairwise accuracy on them is recorded as held-out.</summary>
    public double HeldOut { get; init; } = 0.2;

    /// <summary>TRL <c>center_rewards_coefficient</c> (Eisenstein et al. 2023, eq. 2): adds coef · mean((r_chosen + r_rejected)²); null is off.</summary>
    public double? CenterRewardsCoefficient { get; init; }

    /// <summary>
    /// The backbone's blocks that train beside the score head, named as the lab's <c>freeze</c> method names them
    /// (<see cref="FreezeSpec.TrainableLayers"/>, LLaMA-Factory's freeze tuning, whose reward head always trains); the
    /// embeddings, the other blocks and the final norm stay frozen. Empty: the head alone on a frozen body. Null: the
    /// whole model, as TRL's <c>RewardTrainer</c> without PEFT. Left out of the cache key when null, so a whole-model
    /// reward model keeps the key it had before this option existed.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? TrainableLayers { get; init; }

    /// <summary>Seeds the pairs' split, the wrong answers chosen and the training order.</summary>
    public int Seed { get; init; }

    public const string WorldPairs = "world";
}
