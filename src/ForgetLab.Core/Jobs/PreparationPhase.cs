using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>The preparation a job does before it trains: pre-training the base (once per spec hash), scoring the base on every suite.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PreparationPhase>))]
public enum PreparationPhase
{
    [JsonStringEnumMemberName("pretrain")] Pretrain,
    [JsonStringEnumMemberName("baseline")] Baseline,
}
