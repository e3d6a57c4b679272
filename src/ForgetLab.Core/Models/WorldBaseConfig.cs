using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Models;

/// <summary>
/// The config.json of a built-in world's base from <c>base.model</c> (GPT-2's names) and <c>base.architecture</c>.
/// A Llama base takes the same width, depth, heads and context: hidden_size = n_embd, num_hidden_layers = n_layer,
/// num_attention_heads = n_head, num_key_value_heads = n_kv_head (default n_head), head_dim = n_embd / n_head,
/// max_position_embeddings = n_ctx. Its SwiGLU MLP gets Meta's sizing, intermediate_size = ⌈(2/3 · 4 · n_embd) / 64⌉ · 64
/// (two-thirds of GPT-2's 4·n_embd, so three matrices hold about the parameters GPT-2's two do; 704 for n_embd 256),
/// and Llama-2's rms_norm_eps 1e-5 and rope_theta 10000. The head is tied to the embedding, like the GPT-2 base's,
/// so the two architectures differ in their layers and not in a second vocabulary-sized matrix.
/// </summary>
public static class WorldBaseConfig
{
    public const int IntermediateMultiple = 64;

    public static IModelConfig For(BaseModelSpec spec, int vocabSize)
    {
        var m = spec.Model;
        return spec.Architecture switch
        {
            BaseArchitecture.Llama => new LlamaConfig
            {
                VocabSize = vocabSize, HiddenSize = m.NEmbd, IntermediateSize = IntermediateSize(m.NEmbd), NumHiddenLayers = m.NLayer,
                NumAttentionHeads = m.NHead, NumKeyValueHeads = m.NKvHead ?? m.NHead, HeadDim = m.NEmbd / m.NHead,
                MaxPositionEmbeddings = m.NCtx, RmsNormEps = 1e-5, RopeTheta = 10000.0, TieWordEmbeddings = true,
            },
            _ => new GptConfig { VocabSize = vocabSize, NPositions = m.NCtx, NEmbd = m.NEmbd, NLayer = m.NLayer, NHead = m.NHead, Dropout = m.Dropout },
        };
    }

    /// <summary>Meta's SwiGLU width: int(2 · 4d / 3) rounded up to a multiple of <see cref="IntermediateMultiple"/>.</summary>
    public static int IntermediateSize(int hidden)
    {
        var width = 2 * 4 * hidden / 3;
        return (width + IntermediateMultiple - 1) / IntermediateMultiple * IntermediateMultiple;
    }
}
