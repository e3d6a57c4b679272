using System.Text.Json.Serialization;

namespace ForgetLab.Lab.Rl;

/// <summary>
/// One step of a reward fine-tuning run, as the run's <c>rl_log.json</c> keeps it: the loss, the batch's mean
/// reward and each component's mean, the mean KL per completion to the reference (k1, summed over its tokens;
/// null without a reference), β, and the mean completion length. DPO steps log the preference accuracy as reward.
/// </summary>
/// <remarks><see cref="Entropy"/> is an init property, not a positional one, so logs written before it read as null.</remarks>
public sealed record RlStepLog(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("reward")] double Reward,
    [property: JsonPropertyName("components")] IReadOnlyDictionary<string, double> Components,
    [property: JsonPropertyName("kl")] double? Kl,
    [property: JsonPropertyName("beta")] double Beta,
    [property: JsonPropertyName("completion_length")] double CompletionLength)
{
    /// <summary>
    /// Mean per-token entropy of the policy at the sampling temperature over the batch's completion tokens (nats/token),
    /// exact over the vocabulary, as TRL's GRPO logs <c>entropy</c>; null for DPO, which samples nothing.
    /// </summary>
    [JsonPropertyName("entropy")] public double? Entropy { get; init; }
}
