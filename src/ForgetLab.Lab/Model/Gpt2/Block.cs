using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Gpt2;

/// <summary>
/// GPT-2's pre-norm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)), the sublayers
/// through <c>call</c> (see <see cref="DecoderLayer"/>).
/// </summary>
public sealed class Block : DecoderLayer
{
    private readonly LayerNorm ln_1;
    private readonly CausalSelfAttention attn;
    private readonly LayerNorm ln_2;
    private readonly Mlp mlp;

    public Block(GptConfig config) : base(nameof(Block))
    {
        ln_1 = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon);
        attn = new CausalSelfAttention(config);
        ln_2 = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon);
        mlp = new Mlp(config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = x + attn.call(ln_1.forward(x));                    // (B, T, C)
        return x + mlp.call(ln_2.forward(x));                  // (B, T, C)
    }

    public override CausalSelfAttention Attention => attn;

    public override Mlp Mlp => mlp;
}
