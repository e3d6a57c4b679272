namespace ForgetLab.Core.Models;

/// <summary>
/// The numbers of a decoder-only architecture that decide its size and its memory: what
/// <see cref="MemoryEstimate"/> works from. Built from a <c>config.json</c>'s fields by <see cref="Gpt2"/> or
/// <see cref="Llama"/> (which also covers Mistral, Qwen2 and Qwen3), with Hugging Face's meaning of each field.
/// </summary>
public sealed record ModelShape
{
    /// <summary>Hugging Face's <c>model_type</c>.</summary>
    public required string ModelType { get; init; }

    public required int VocabSize { get; init; }

    public required int HiddenSize { get; init; }

    /// <summary>The MLP's inner width (GPT-2: 4 · hidden).</summary>
    public required int IntermediateSize { get; init; }

    public required int LayerCount { get; init; }

    public required int HeadCount { get; init; }

    public required int KeyValueHeadCount { get; init; }

    public required int HeadDim { get; init; }

    /// <summary>Rows of a learned position table (GPT-2's <c>wpe</c>); 0 with rotary positions.</summary>
    public required int PositionTableSize { get; init; }

    /// <summary>The LM head is the token embedding (no parameters of its own).</summary>
    public required bool TiedHead { get; init; }

    /// <summary>Parameters of one decoder layer's norms (LayerNorm: weight and bias; RMSNorm: weight).</summary>
    public required long NormParametersPerLayer { get; init; }

    /// <summary>Parameters of the final norm.</summary>
    public required long FinalNormParameters { get; init; }

    /// <summary>One decoder layer's linear layers, the same in every layer.</summary>
    public required IReadOnlyList<ModelProjection> Projections { get; init; }

    /// <summary>Every parameter of the model, the tied head counted once (as Hugging Face's <c>num_parameters()</c>).</summary>
    public long Parameters =>
        (long)VocabSize * HiddenSize + (long)PositionTableSize * HiddenSize
        + LayerCount * (Projections.Sum(p => p.Parameters) + NormParametersPerLayer)
        + FinalNormParameters + (TiedHead ? 0 : (long)VocabSize * HiddenSize);

    /// <summary>Parameters that pass through a matrix product and so get a bfloat16 copy under autocast: the projections and the head.</summary>
    public long MatmulParameters => LayerCount * Projections.Sum(p => p.Parameters) + (long)VocabSize * HiddenSize;

    /// <summary>GPT-2 (<c>vocab_size</c>, <c>n_positions</c>, <c>n_embd</c>, <c>n_layer</c>, <c>n_head</c>; <c>n_inner</c> null = 4 · n_embd), head tied to <c>wte</c>.</summary>
    public static ModelShape Gpt2(int vocabSize, int nPositions, int nEmbd, int nLayer, int nHead, int? nInner = null)
    {
        var inner = nInner ?? 4 * nEmbd;
        return new ModelShape
        {
            ModelType = "gpt2", VocabSize = vocabSize, HiddenSize = nEmbd, IntermediateSize = inner, LayerCount = nLayer,
            HeadCount = nHead, KeyValueHeadCount = nHead, HeadDim = nEmbd / nHead, PositionTableSize = nPositions, TiedHead = true,
            NormParametersPerLayer = 4L * nEmbd, FinalNormParameters = 2L * nEmbd,
            Projections =
            [
                new("attn.c_attn", nEmbd, 3L * nEmbd, true),
                new("attn.c_proj", nEmbd, nEmbd, true),
                new("mlp.c_fc", nEmbd, inner, true),
                new("mlp.c_proj", inner, nEmbd, true),
            ],
        };
    }

    /// <summary>
    /// The Llama family as transformers builds it: <c>llama</c> and <c>mistral</c> (q/k/v/o biases with
    /// <c>attention_bias</c>, MLP biases with <c>mlp_bias</c>), <c>qwen2</c> (biases on q/k/v only) and <c>qwen3</c>
    /// (per-head <c>q_norm</c>/<c>k_norm</c>).
    /// </summary>
    public static ModelShape Llama(
        string modelType, int vocabSize, int hiddenSize, int intermediateSize, int layers, int heads, int keyValueHeads,
        int headDim, bool tieWordEmbeddings, bool attentionBias = false, bool mlpBias = false)
    {
        var qkvBias = modelType == "qwen2" || attentionBias;
        var outputBias = modelType != "qwen2" && attentionBias;
        var mlpHasBias = modelType == "llama" && mlpBias;
        long q = (long)heads * headDim, kv = (long)keyValueHeads * headDim;
        return new ModelShape
        {
            ModelType = modelType, VocabSize = vocabSize, HiddenSize = hiddenSize, IntermediateSize = intermediateSize,
            LayerCount = layers, HeadCount = heads, KeyValueHeadCount = keyValueHeads, HeadDim = headDim, PositionTableSize = 0,
            TiedHead = tieWordEmbeddings,
            NormParametersPerLayer = 2L * hiddenSize + (modelType == "qwen3" ? 2L * headDim : 0),
            FinalNormParameters = hiddenSize,
            Projections =
            [
                new("self_attn.q_proj", hiddenSize, q, qkvBias),
                new("self_attn.k_proj", hiddenSize, kv, qkvBias),
                new("self_attn.v_proj", hiddenSize, kv, qkvBias),
                new("self_attn.o_proj", q, hiddenSize, outputBias),
                new("mlp.gate_proj", hiddenSize, intermediateSize, mlpHasBias),
                new("mlp.up_proj", hiddenSize, intermediateSize, mlpHasBias),
                new("mlp.down_proj", intermediateSize, hiddenSize, mlpHasBias),
            ],
        };
    }

    /// <summary>The shape of a config.json's architecture (<see cref="HfConfig"/>'s records).</summary>
    public static ModelShape Of(IModelConfig config) => config switch
    {
        GptConfig g => Gpt2(g.VocabSize, g.NPositions, g.NEmbd, g.NLayer, g.NHead),
        LlamaConfig l => Llama(l.ModelType, l.VocabSize, l.HiddenSize, l.IntermediateSize, l.NumHiddenLayers,
            l.NumAttentionHeads, l.NumKeyValueHeads, l.HeadDim, l.TieWordEmbeddings, l.AttentionBias, l.MlpBias),
        _ => throw new ArgumentException($"no memory shape for model_type '{config.ModelType}'", nameof(config)),
    };

    /// <summary>config.json's <c>attention_bias</c> as this shape has it (qwen2's q/k/v biases are implied by its type; GPT-2 has none).</summary>
    public bool AttentionBias => !IsGpt2 && ModelType != "qwen2" && Projections.Any(p => p.Path == "self_attn.o_proj" && p.HasBias);

    /// <summary>config.json's <c>mlp_bias</c> as this shape has it.</summary>
    public bool MlpBias => !IsGpt2 && Projections.Any(p => p.Path == "mlp.gate_proj" && p.HasBias);

    /// <summary>True for GPT-2's layout (LayerNorm, fused c_attn, GELU MLP); false for the Llama family (RMSNorm, q/k/v, SwiGLU).</summary>
    public bool IsGpt2 => ModelType == "gpt2";
}
