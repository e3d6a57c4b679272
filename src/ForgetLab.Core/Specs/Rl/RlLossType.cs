namespace ForgetLab.Core.Specs.Rl;

/// <summary>
/// TRL's <c>loss_type</c> for the token-level policy loss: <c>grpo</c> averages each completion's tokens, then
/// the completions; <c>dr_grpo</c> sums all tokens and divides by batch × max_completion_length (Dr. GRPO);
/// <c>dapo</c> sums all tokens and divides by the batch's completion tokens (DAPO; TRL's default).
/// </summary>
public enum RlLossType { Grpo, DrGrpo, Dapo }
