namespace ForgetLab.Core.Specs.Rl;

/// <summary>Where the KL penalty enters: subtracted from each completion's reward (RLOO, InstructGPT) or added per token to the loss (GRPO).</summary>
public enum KlPlacement { Reward, Loss }
