using ForgetLab.Lab.Model.Llama;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Model;

/// <summary>Tiny seeded Llama-family models (GQA, two layers) so architecture tests run in well under a second.</summary>
internal static class TinyLlamas
{
    public static LlamaConfig Config => new()
    {
        VocabSize = 40, HiddenSize = 32, IntermediateSize = 48, NumHiddenLayers = 2, NumAttentionHeads = 4,
        NumKeyValueHeads = 2, HeadDim = 8, MaxPositionEmbeddings = 16, RmsNormEps = 1e-5,
    };

    public static LlamaModel Create(LlamaConfig? config = null, int seed = 1)
    {
        random.manual_seed(seed);
        return new LlamaModel(config ?? Config);
    }
}
