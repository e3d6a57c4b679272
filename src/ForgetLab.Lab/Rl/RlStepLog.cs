using System.Text.Json.Serialization;

namespace ForgetLab.Lab.Rl;

/// <summary>
/// One step of a reward fine-tuning run, as the run's <c>rl_log.json</c> keeps it: the loss, the batch's mean
/// reward and each component's mean, the mean KL per completion to the reference (k1, summed over its tokens;
/// null without a reference), β, and the mean completion length. DPO steps log the preference accuracy as reward.
/// </summary>
public sealed record RlStepLog(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("reward")] double Reward,
    [property: JsonPropertyName("components")] IReadOnlyDictionary<string, double> Components,
    [property: JsonPropertyName("kl")] double? Kl,
    [property: JsonPropertyName("beta")] double Beta,
    [property: JsonPropertyName("completion_length")] double CompletionLength);
