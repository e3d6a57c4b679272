using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// One pre-norm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). With bottleneck
/// adapters attached (Houlsby placement) each sublayer's output passes through its adapter before
/// the residual add: x + adapter_attn(attn(ln_1(x))), then x + adapter_mlp(mlp(ln_2(x))).
/// </summary>
public sealed class Block : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1;
    private readonly CausalSelfAttention attn;
    private readonly LayerNorm ln_2;
    private readonly Mlp mlp;
    private BottleneckAdapter? adapter_attn;
    private BottleneckAdapter? adapter_mlp;
    private readonly long width;

    public Block(GptConfig config) : base(nameof(Block))
    {
        ln_1 = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon);
        attn = new CausalSelfAttention(config);
        ln_2 = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon);
        mlp = new Mlp(config);
        width = config.NEmbd;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var a = attn.forward(ln_1.forward(x));                 // (B, T, C)
        x = x + (adapter_attn is null ? a : adapter_attn.forward(a));
        var m = mlp.forward(ln_2.forward(x));                  // (B, T, C)
        return x + (adapter_mlp is null ? m : adapter_mlp.forward(m));
    }

    public CausalSelfAttention Attention => attn;

    public bool HasAdapters => adapter_attn is not null;

    /// <summary>Adds the two bottleneck adapters; returns their parameters.</summary>
    internal IEnumerable<Parameter> AttachAdapters(int bottleneck)
    {
        if (HasAdapters) throw new InvalidOperationException("This block already has adapters.");
        adapter_attn = new BottleneckAdapter(width, bottleneck);
        adapter_mlp = new BottleneckAdapter(width, bottleneck);
        register_module("adapter_attn", adapter_attn);
        register_module("adapter_mlp", adapter_mlp);
        return adapter_attn.parameters().Concat(adapter_mlp.parameters());
    }
}
