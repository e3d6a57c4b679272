using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// Multi-head causal self-attention: one fused q/k/v projection (c_attn), an output projection (c_proj).
/// Methods that act inside attention (prefix tuning) attach an <see cref="IAttentionHook"/>, which sees
/// the queries and the per-head output before the heads are merged.
/// </summary>
public sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Conv1D c_attn;
    private readonly Conv1D c_proj;
    private readonly Dropout resid_dropout;
    private readonly int nHead;
    private readonly double dropout;
    private readonly List<IAttentionHook> hooks = [];

    public CausalSelfAttention(GptConfig config) : base(nameof(CausalSelfAttention))
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
        var y = nn.functional.scaled_dot_product_attention(q, k, v, p: training ? dropout : 0, is_casual: true); // (B, nh, T, hs)
        foreach (var hook in hooks) y = hook.Attend(q, y);             // (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(b, t, c);              // (B, T, C)
        return resid_dropout.forward(c_proj.forward(y));
    }

    public int HeadCount => nHead;

    public IReadOnlyList<IAttentionHook> Hooks => hooks;

    public void Attach(IAttentionHook hook) => hooks.Add(hook);
}
