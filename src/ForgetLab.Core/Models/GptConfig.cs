using System.Text.Json.Serialization;

namespace ForgetLab.Core.Models;

/// <summary>
/// Hyper-parameters of a GPT-2-layout decoder. Property names serialise as Hugging Face's
/// <c>config.json</c> keys so a saved model folder reads as a GPT-2 checkpoint.
/// </summary>
public sealed record GptConfig : IModelConfig
{
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "gpt2";

    /// <summary>Tokens in the vocabulary (the word-level world tokenizer decides it).</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 512;

    /// <summary>Context length: the longest sequence the position embedding covers.</summary>
    [JsonPropertyName("n_positions")] public int NPositions { get; init; } = 128;

    /// <summary>Width of the residual stream.</summary>
    [JsonPropertyName("n_embd")] public int NEmbd { get; init; } = 256;

    /// <summary>Transformer blocks.</summary>
    [JsonPropertyName("n_layer")] public int NLayer { get; init; } = 4;

    /// <summary>Attention heads per block; must divide <see cref="NEmbd"/>.</summary>
    [JsonPropertyName("n_head")] public int NHead { get; init; } = 4;

    /// <summary>Dropout on embeddings, attention and residual branches (0 keeps training deterministic and cheap).</summary>
    [JsonPropertyName("resid_pdrop")] public double Dropout { get; init; }

    [JsonPropertyName("layer_norm_epsilon")] public double LayerNormEpsilon { get; init; } = 1e-5;

    /// <summary>Standard deviation of the normal initialisation (GPT-2's 0.02).</summary>
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;

    [JsonIgnore] public int HeadSize => NEmbd / NHead;

    // The architecture-neutral view; explicit, so config.json keeps exactly GPT-2's keys.
    int IModelConfig.MaxPositions => NPositions;
    int IModelConfig.HiddenSize => NEmbd;
    int IModelConfig.LayerCount => NLayer;
}
