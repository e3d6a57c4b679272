namespace ForgetLab.Core.Specs.Rl;

/// <summary>TRL's GRPO <c>scale_rewards</c>: divide the centred reward by the group's std, the batch's std, or not at all (Dr. GRPO).</summary>
public enum ScaleRewards { Group, Batch, None }
