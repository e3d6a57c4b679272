using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Gpt2;

/// <summary>GPT-2's <c>transformer</c> submodule: token and position embeddings, the blocks, the final norm.</summary>
public sealed class GptTransformer : nn.Module<Tensor, Tensor>
{
    private readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly Dropout drop;
    private readonly ModuleList<Block> h;
    private readonly LayerNorm ln_f;

    public GptTransformer(GptConfig config) : base("transformer")
    {
        wte = nn.Embedding(config.VocabSize, config.NEmbd);
        wpe = nn.Embedding(config.NPositions, config.NEmbd);
        drop = nn.Dropout(config.Dropout);
        h = nn.ModuleList(Enumerable.Range(0, config.NLayer).Select(_ => new Block(config)).ToArray());
        ln_f = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon);
        RegisterComponents();
    }

    /// <summary>The token embedding, shared with the output projection (GPT-2 ties them).</summary>
    public Parameter TokenEmbedding => wte.weight!;

    /// <param name="idx">token ids (B, T)</param>
    /// <returns>hidden states (B, T, C)</returns>
    public override Tensor forward(Tensor idx) => Forward(idx, 0);

    /// <param name="idx">token ids (B, T) at positions start..start+T−1 (a cached forward starts after its past)</param>
    /// <param name="start">the first token's position</param>
    /// <returns>hidden states (B, T, C)</returns>
    public Tensor Forward(Tensor idx, long start)
    {
        var t = idx.shape[1];
        using var pos = arange(start, start + t, dtype: ScalarType.Int64, device: idx.device); // (T)
        var x = drop.forward(wte.forward(idx) + wpe.forward(pos));          // (B, T, C)
        foreach (var block in h) x = block.Run(x);
        return ln_f.forward(x);
    }
}
