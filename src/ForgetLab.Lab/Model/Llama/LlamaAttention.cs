using TorchSharp;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Llama;

/// <summary>
/// Hugging Face's LlamaAttention (and Qwen2's, Qwen3's): q/k/v/o projections, grouped-query attention
/// (each of <c>num_key_value_heads</c> key/value heads serves num_attention_heads / num_key_value_heads
/// query heads, transformers' <c>repeat_kv</c>), RoPE on queries and keys, causal softmax attention
/// scaled by 1/√head_dim. Qwen3 first normalises each query and key head (<c>q_norm</c>, <c>k_norm</c>).
/// </summary>
public sealed class LlamaAttention : AttentionModule
{
    private readonly LinearProjection q_proj;
    private readonly LinearProjection k_proj;
    private readonly LinearProjection v_proj;
    private readonly LinearProjection o_proj;
    private readonly RmsNorm? q_norm;
    private readonly RmsNorm? k_norm;
    private readonly RotaryEmbedding rotary;
    private readonly int kvHeads;

    public LlamaAttention(LlamaConfig config, RotaryEmbedding rotary) : base(nameof(LlamaAttention), config.NumAttentionHeads, config.HeadDim)
    {
        var (c, nh, nkv, hs) = (config.HiddenSize, config.NumAttentionHeads, config.NumKeyValueHeads, config.HeadDim);
        q_proj = new LinearProjection(c, nh * hs, config.QkvBias);
        k_proj = new LinearProjection(c, nkv * hs, config.QkvBias);
        v_proj = new LinearProjection(c, nkv * hs, config.QkvBias);
        o_proj = new LinearProjection(nh * hs, c, config.OutputBias);
        if (config.QkNorm)
        {
            q_norm = new RmsNorm(hs, config.RmsNormEps);
            k_norm = new RmsNorm(hs, config.RmsNormEps);
        }
        this.rotary = rotary;
        kvHeads = nkv;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var (b, t) = (x.shape[0], x.shape[1]);
        var (nh, hs) = (HeadCount, HeadSize);
        var q = q_proj.forward(x).view(b, t, nh, hs);                          // (B, T, nh, hs)
        var k = k_proj.forward(x).view(b, t, kvHeads, hs);                     // (B, T, nkv, hs)
        var v = v_proj.forward(x).view(b, t, kvHeads, hs).transpose(1, 2);     // (B, nkv, T, hs)
        if (q_norm is not null) q = q_norm.forward(q);
        if (k_norm is not null) k = k_norm.forward(k);
        q = q.transpose(1, 2);                                                 // (B, nh, T, hs)
        k = k.transpose(1, 2);                                                 // (B, nkv, T, hs)
        var (cos, sin) = rotary.For(PastLength, t, x.dtype, x.device);        // (T, hs)
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        (k, v) = WithPast(k, v);                                               // (B, nkv, past + T, hs)
        if (kvHeads != nh)
        {
            k = k.repeat_interleave(nh / kvHeads, dim: 1);                     // (B, nh, past + T, hs)
            v = v.repeat_interleave(nh / kvHeads, dim: 1);                     // (B, nh, past + T, hs)
        }
        var y = Attention(q, k, v);                                            // (B, nh, T, hs)
        y = Attend(q, y);                                                      // (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(b, t, nh * hs);                // (B, T, nh·hs)
        return o_proj.forward(y);                                              // (B, T, C)
    }
}
