using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Gpt2;

/// <summary>
/// GPT-2's multi-head causal self-attention: one fused q/k/v projection (c_attn), an output projection
/// (c_proj); attention hooks see the queries and the per-head output (<see cref="AttentionModule"/>).
/// </summary>
public sealed class CausalSelfAttention : AttentionModule
{
    private readonly Conv1D c_attn;
    private readonly Conv1D c_proj;
    private readonly Dropout resid_dropout;
    private readonly int nHead;
    private readonly double dropout;

    public CausalSelfAttention(GptConfig config) : base(nameof(CausalSelfAttention), config.NHead, config.HeadSize)
    {
        c_attn = new Conv1D(config.NEmbd, 3 * config.NEmbd);
        c_proj = new Conv1D(config.NEmbd, config.NEmbd);
        resid_dropout = nn.Dropout(config.Dropout);
        nHead = config.NHead;
        dropout = config.Dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var (b, t, c) = (x.shape[0], x.shape[1], x.shape[2]);
        var hs = c / nHead;
        var qkv = c_attn.forward(x).split(c, dim: 2);                  // 3 × (B, T, C)
        var q = qkv[0].view(b, t, nHead, hs).transpose(1, 2);          // (B, nh, T, hs)
        var k = qkv[1].view(b, t, nHead, hs).transpose(1, 2);          // (B, nh, T, hs)
        var v = qkv[2].view(b, t, nHead, hs).transpose(1, 2);          // (B, nh, T, hs)
        (k, v) = WithPast(k, v);                                       // (B, nh, past + T, hs)
        var y = Attention(q, k, v, training ? dropout : 0);            // (B, nh, T, hs)
        y = Attend(q, y);                                              // (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(b, t, c);              // (B, T, C)
        return resid_dropout.forward(c_proj.forward(y));
    }
}
