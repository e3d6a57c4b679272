using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Llama;

/// <summary>
/// Hugging Face's LlamaForCausalLM (also Mistral's, Qwen2's and Qwen3's ForCausalLM): the <c>model</c>
/// backbone and <c>lm_head</c>. State-dict keys are Hugging Face's (<c>model.embed_tokens.weight</c>,
/// <c>model.layers.0.self_attn.q_proj.weight</c>, <c>model.norm.weight</c>, <c>lm_head.weight</c>); with
/// <c>tie_word_embeddings</c> the head is the token embedding and has no key of its own, as in
/// Hugging Face's safetensors files.
/// </summary>
public sealed class LlamaModel : CausalLanguageModel
{
    private readonly LlamaBackbone model;
    private readonly Linear? lm_head;

    public LlamaModel(LlamaConfig config, Device? device = null) : base(nameof(LlamaModel))
    {
        Config = config;
        model = new LlamaBackbone(config);
        lm_head = config.TieWordEmbeddings ? null : nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
        RecordBaseKeys();
        Initialise();
        if (device is not null && device.type != DeviceType.CPU) this.to(device);
    }

    public override LlamaConfig Config { get; }

    public override bool FanInFanOut => false;

    /// <param name="idx">token ids (B, T), T ≤ max_position_embeddings</param>
    /// <returns>logits (B, T, V)</returns>
    public override Tensor forward(Tensor idx) => Logits(model.forward(idx));   // (B, T, C) → (B, T, V)

    public override Tensor Logits(Tensor hidden) =>
        Autocast.Float32(Autocast.Linear(hidden, lm_head?.weight ?? model.TokenEmbedding));   // (..., V), float32 for the loss

    public override Tensor HiddenStates(Tensor idx) => model.forward(idx);   // (B, T, C)

    /// <summary>Hugging Face's <c>_init_weights</c>: N(0, initializer_range) weights and embeddings, zero biases, norms at one.</summary>
    private void Initialise()
    {
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else if (p.dim() == 1) p.fill_(1.0);
            else p.normal_(0, Config.InitializerRange);
        }
    }
}
