namespace ForgetLab.Dashboard.Data;

/// <summary>One item a checkpoint lost (right at base, wrong now) or gained, with the answers when they were recorded.</summary>
/// <param name="BaseAnswer">The base model's answer; null when the baseline's answers are not stored.</param>
/// <param name="Answer">This checkpoint's answer; null for items scored without generating text.</param>
/// <param name="Prompt">What the item asks; null for items recorded before prompts were stored (the id stands in).</param>
public sealed record ItemChange(string ItemId, bool Lost, string? BaseAnswer, string? Answer, string? Prompt = null);
