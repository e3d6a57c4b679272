using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Llama;

/// <summary>Hugging Face's LlamaModel, the <c>model</c> submodule: embed_tokens, the layers, the final norm.</summary>
public sealed class LlamaBackbone : nn.Module<Tensor, Tensor>
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly RmsNorm norm;

    public LlamaBackbone(LlamaConfig config) : base("model")
    {
        var rotary = new RotaryEmbedding(config);
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new LlamaDecoderLayer(config, rotary)).ToArray());
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        RegisterComponents();
    }

    public Parameter TokenEmbedding => embed_tokens.weight!;

    /// <param name="idx">token ids (B, T)</param>
    /// <returns>hidden states (B, T, C)</returns>
    public override Tensor forward(Tensor idx)
    {
        var x = embed_tokens.forward(idx);                                   // (B, T, C)
        foreach (var layer in layers) x = layer.Run(x);
        return norm.forward(x);
    }
}
