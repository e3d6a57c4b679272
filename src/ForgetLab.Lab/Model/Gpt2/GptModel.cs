using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Gpt2;

/// <summary>
/// A decoder-only language model in GPT-2's layout (Hugging Face's GPT2LMHeadModel). State-dict keys
/// are Hugging Face's (<c>transformer.h.0.attn.c_attn.weight</c>, ...); the LM head is tied to
/// <c>transformer.wte.weight</c>, so, as in Hugging Face's safetensors files, it has no key of its own.
/// </summary>
public sealed class GptModel : CausalLanguageModel
{
    private readonly GptTransformer transformer;

    public GptModel(GptConfig config, Device? device = null) : base(nameof(GptModel))
    {
        if (config.NEmbd % config.NHead != 0)
            throw new ArgumentException($"n_embd ({config.NEmbd}) must be divisible by n_head ({config.NHead}).");
        Config = config;
        transformer = new GptTransformer(config);
        RegisterComponents();
        RecordBaseKeys();
        Initialise();
        if (device is not null && device.type != DeviceType.CPU) this.to(device);
    }

    public override GptConfig Config { get; }

    public override bool FanInFanOut => true; // Conv1D stores (in, out)

    /// <param name="idx">token ids (B, T), T ≤ n_positions</param>
    /// <returns>logits (B, T, V)</returns>
    public override Tensor forward(Tensor idx) => Logits(transformer.Forward(idx, PositionOffset));   // (B, T, C) → (B, T, V)

    public override Tensor Logits(Tensor hidden) =>
        Autocast.Float32(Autocast.MatMul(hidden, transformer.TokenEmbedding.t()));   // (..., V), float32 for the loss

    public override Tensor HiddenStates(Tensor idx) => transformer.Forward(idx, PositionOffset);   // (B, T, C)

    /// <summary>GPT-2 initialisation: N(0, 0.02) weights, zero biases, residual projections scaled by 1/√(2·n_layer).</summary>
    private void Initialise()
    {
        using var _ = no_grad();
        var std = Config.InitializerRange;
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else if (name.Contains(".ln_", StringComparison.Ordinal)) p.fill_(1.0);
            else if (name.EndsWith("c_proj.weight", StringComparison.Ordinal)) p.normal_(0, std / Math.Sqrt(2.0 * Config.NLayer));
            else p.normal_(0, std);
        }
    }
}
