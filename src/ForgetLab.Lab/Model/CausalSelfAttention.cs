using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// Multi-head causal self-attention: one fused q/k/v projection (c_attn), an output projection (c_proj).
/// With a prefix attached, every head also attends to P trainable key/value vectors through its own
/// softmax, added through a per-head gate that starts at zero (LLaMA-Adapter's zero-init attention):
/// y = attn(q, K, V) + g_h · softmax(q·P_Kᵀ/√hs)·P_V, so at step 0 the output is exactly the base's.
/// </summary>
public sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Conv1D c_attn;
    private readonly Conv1D c_proj;
    private readonly Dropout resid_dropout;
    private readonly int nHead;
    private readonly double dropout;
    private Parameter? prefix_key;   // (nh, P, hs)
    private Parameter? prefix_value; // (nh, P, hs)
    private Parameter? prefix_gate;  // (nh)

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
        if (prefix_key is not null)
        {
            var scores = q.matmul(prefix_key.transpose(-2, -1)).div(Math.Sqrt(hs));  // (B, nh, T, P)
            var fromPrefix = scores.softmax(-1).matmul(prefix_value!);                 // (B, nh, T, hs)
            y = y + prefix_gate!.view(1, nHead, 1, 1) * fromPrefix;
        }
        y = y.transpose(1, 2).contiguous().view(b, t, c);              // (B, T, C)
        return resid_dropout.forward(c_proj.forward(y));
    }

    public bool HasPrefix => prefix_key is not null;

    /// <summary>
    /// Adds P virtual tokens: keys and values drawn from N(0, <paramref name="std"/>) (non-zero, so the
    /// gate gets a gradient at step 0), the gate at zero. Returns the three parameters.
    /// </summary>
    internal IEnumerable<Parameter> AttachPrefix(int virtualTokens, long headSize, double std)
    {
        if (HasPrefix) throw new InvalidOperationException("This attention already has a prefix.");
        prefix_key = nn.Parameter(randn(nHead, virtualTokens, headSize).mul_(std));
        prefix_value = nn.Parameter(randn(nHead, virtualTokens, headSize).mul_(std));
        prefix_gate = nn.Parameter(zeros(nHead));
        register_parameter("prefix_key", prefix_key);
        register_parameter("prefix_value", prefix_value);
        register_parameter("prefix_gate", prefix_gate);
        return [prefix_key, prefix_value, prefix_gate];
    }
}
