using System.Text.Json.Serialization;

namespace ForgetLab.Core.Models;

/// <summary>
/// Hyper-parameters of the Llama family as Hugging Face's <c>config.json</c> holds them: <c>llama</c>
/// (and <c>mistral</c> without a sliding window), <c>qwen2</c> (biases on q/k/v, none on o) and
/// <c>qwen3</c> (per-head RMSNorm on queries and keys). Read and checked by <see cref="HfConfig"/>;
/// the defaults are transformers' where a field may be absent.
/// </summary>
public sealed record LlamaConfig : IModelConfig
{
    /// <summary>transformers' class for <see cref="ModelType"/> (LlamaForCausalLM, …); written, never set apart from it.</summary>
    [JsonPropertyName("architectures")] public IReadOnlyList<string> Architectures => [HfConfig.ClassName(ModelType)];
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llama";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; }
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; }
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; }

    /// <summary>Key/value heads (grouped-query attention); transformers defaults it to the query heads.</summary>
    [JsonPropertyName("num_key_value_heads")] public int NumKeyValueHeads { get; init; }

    /// <summary>Width of one head; transformers defaults it to hidden_size / num_attention_heads.</summary>
    [JsonPropertyName("head_dim")] public int HeadDim { get; init; }

    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; }
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-6;
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;
    [JsonPropertyName("rope_scaling")] public RopeScaling? RopeScaling { get; init; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; init; }
    [JsonPropertyName("mlp_bias")] public bool MlpBias { get; init; }
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";

    /// <summary>Biases on q_proj, k_proj, v_proj: Qwen2 always has them; Llama, Mistral and Qwen3 when <c>attention_bias</c>.</summary>
    [JsonIgnore] public bool QkvBias => ModelType == "qwen2" || AttentionBias;

    /// <summary>A bias on o_proj: never in Qwen2; in Llama and Qwen3 when <c>attention_bias</c>.</summary>
    [JsonIgnore] public bool OutputBias => ModelType != "qwen2" && AttentionBias;

    /// <summary>Qwen3's RMSNorm over each query and key head (<c>q_norm</c>, <c>k_norm</c>) before RoPE.</summary>
    [JsonIgnore] public bool QkNorm => ModelType == "qwen3";

    /// <summary>Mistral's and Qwen2's MLP have no bias setting; Llama's has <c>mlp_bias</c>.</summary>
    [JsonIgnore] public bool MlpHasBias => ModelType == "llama" && MlpBias;

    int IModelConfig.MaxPositions => MaxPositionEmbeddings;
    int IModelConfig.LayerCount => NumHiddenLayers;
}
