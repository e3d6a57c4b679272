using ForgetLab.Core.Models;
using ForgetLab.Lab.Model.Gpt2;
using ForgetLab.Lab.Model.Llama;

namespace ForgetLab.Lab.Model;

/// <summary>An architecture's config as the engine-free <see cref="ModelShape"/> that Core's <see cref="MemoryEstimate"/> works from.</summary>
public static class ModelShapes
{
    public static ModelShape Of(IModelConfig config) => config switch
    {
        GptConfig g => ModelShape.Gpt2(g.VocabSize, g.NPositions, g.NEmbd, g.NLayer, g.NHead),
        LlamaConfig l => ModelShape.Llama(l.ModelType, l.VocabSize, l.HiddenSize, l.IntermediateSize, l.NumHiddenLayers,
            l.NumAttentionHeads, l.NumKeyValueHeads, l.HeadDim, l.TieWordEmbeddings, l.AttentionBias, l.MlpBias),
        _ => throw new ArgumentException($"no memory shape for model_type '{config.ModelType}'", nameof(config)),
    };
}
