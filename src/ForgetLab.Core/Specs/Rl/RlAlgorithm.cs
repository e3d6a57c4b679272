namespace ForgetLab.Core.Specs.Rl;

/// <summary>The reward fine-tuning algorithm of <c>train.rl.algorithm</c>.</summary>
public enum RlAlgorithm
{
    /// <summary>Group-relative advantages (TRL's GRPOTrainer).</summary>
    Grpo,

    /// <summary>Leave-one-out baseline (TRL's RLOOTrainer).</summary>
    Rloo,

    /// <summary>REINFORCE with the batch's mean reward as baseline (ForgetLab's; TRL's GRPO loss and aggregation).</summary>
    Reinforce,

    /// <summary>Direct preference optimisation on preference pairs, sigmoid loss (TRL's DPOTrainer).</summary>
    Dpo,
}
