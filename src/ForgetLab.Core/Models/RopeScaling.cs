using System.Text.Json.Serialization;

namespace ForgetLab.Core.Models;

/// <summary>
/// <c>config.json</c>'s <c>rope_scaling</c>, as Hugging Face's <c>modeling_rope_utils</c> reads it:
/// <c>rope_type</c> (older files: <c>type</c>) <c>default</c>, <c>linear</c> (<c>factor</c>) or <c>llama3</c>
/// (<c>factor</c>, <c>low_freq_factor</c>, <c>high_freq_factor</c>, <c>original_max_position_embeddings</c>).
/// </summary>
public sealed record RopeScaling
{
    [JsonPropertyName("rope_type")] public string RopeType { get; init; } = "default";
    [JsonPropertyName("factor")] public double? Factor { get; init; }
    [JsonPropertyName("low_freq_factor")] public double? LowFreqFactor { get; init; }
    [JsonPropertyName("high_freq_factor")] public double? HighFreqFactor { get; init; }
    [JsonPropertyName("original_max_position_embeddings")] public int? OriginalMaxPositionEmbeddings { get; init; }
}
