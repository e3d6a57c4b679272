using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Llama;

/// <summary>Hugging Face's LlamaDecoderLayer: x + self_attn(input_layernorm(x)), then x + mlp(post_attention_layernorm(x)).</summary>
public sealed class LlamaDecoderLayer : DecoderLayer
{
    private readonly RmsNorm input_layernorm;
    private readonly LlamaAttention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly LlamaMlp mlp;

    public LlamaDecoderLayer(LlamaConfig config, RotaryEmbedding rotary) : base(nameof(LlamaDecoderLayer))
    {
        self_attn = new LlamaAttention(config, rotary);
        mlp = new LlamaMlp(config);
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        RegisterComponents();
    }

    public override LlamaAttention Attention => self_attn;

    public override LlamaMlp Mlp => mlp;

    public override Tensor forward(Tensor x)
    {
        x = x + self_attn.call(input_layernorm.forward(x));                  // (B, T, C)
        return x + mlp.call(post_attention_layernorm.forward(x));            // (B, T, C)
    }
}
