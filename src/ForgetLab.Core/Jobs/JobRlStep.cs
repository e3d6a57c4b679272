using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>
/// A reward fine-tuning step's batch measures, as a <c>progress</c> event carries them (<c>rl</c>): the mean reward and each
/// component's mean, the mean KL per completion to the reference (k1 summed over its tokens; null without one, as at β 0),
/// the policy's mean per-token entropy at the sampling temperature (null for DPO), the mean completion length in tokens,
/// and β. A DPO step's reward is its preference accuracy.
/// </summary>
public sealed record JobRlStep(
    [property: JsonPropertyName("reward")] double Reward,
    [property: JsonPropertyName("components")] IReadOnlyDictionary<string, double> Components,
    [property: JsonPropertyName("kl")] double? Kl,
    [property: JsonPropertyName("entropy")] double? Entropy,
    [property: JsonPropertyName("completion_length")] double CompletionLength,
    [property: JsonPropertyName("beta")] double Beta);
