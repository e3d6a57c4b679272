using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>
/// The preparation a job does before it trains: pre-training the base (once per spec hash), scoring the base on every suite,
/// each reward model a run trains, and each time the base's weights are read from disk (<c>load_base</c>: once per run that trains, once for all the models an evaluation-only spec puts on it).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<PreparationPhase>))]
public enum PreparationPhase
{
    [JsonStringEnumMemberName("pretrain")] Pretrain,
    [JsonStringEnumMemberName("baseline")] Baseline,
    [JsonStringEnumMemberName("load_base")] LoadBase,

    /// <summary>Training a reward model a run declares (<c>{ kind: reward_model, train: … }</c>), once per content hash.</summary>
    [JsonStringEnumMemberName("reward_model")] RewardModel,
}
