using System.Text.Json.Serialization;

namespace ForgetLab.Lab.Rl.RewardModels;

/// <summary>
/// <c>reward_model.json</c> in a reward model's folder: what it was trained on and how well it does. Accuracies are
/// pairwise (TRL's <c>accuracy</c>: the share of pairs with r_chosen &gt; r_rejected) on the pairs' own labels, so a
/// biased model that learned its bias scores high. <see cref="HeldOutCorrectOverWrong"/> asks the question its labels
/// may not: on held-out facts, answered confidently either way, does it score the correct answer above a wrong one?
/// </summary>
public sealed record RewardModelInfo
{
    [JsonPropertyName("labels")] public string Labels { get; init; } = "";
    [JsonPropertyName("pairs")] public string Pairs { get; init; } = "";
    [JsonPropertyName("base_model")] public string BaseModel { get; init; } = "";
    [JsonPropertyName("steps")] public int Steps { get; init; }
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; }
    [JsonPropertyName("lr")] public double Lr { get; init; }
    [JsonPropertyName("center_rewards_coefficient")] public double? CenterRewardsCoefficient { get; init; }
    /// <summary>The blocks that trained beside the head (<c>[]</c>: the head alone); null: the whole model.</summary>
    [JsonPropertyName("trainable_layers")] public IReadOnlyList<int>? TrainableLayers { get; init; }
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("train_pairs")] public int TrainPairs { get; init; }
    [JsonPropertyName("held_out_pairs")] public int HeldOutPairs { get; init; }
    [JsonPropertyName("train_accuracy")] public double TrainAccuracy { get; init; }
    [JsonPropertyName("held_out_accuracy")] public double HeldOutAccuracy { get; init; }
    [JsonPropertyName("held_out_correct_over_wrong")] public double HeldOutCorrectOverWrong { get; init; }
    [JsonPropertyName("final_loss")] public double FinalLoss { get; init; }
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
}
