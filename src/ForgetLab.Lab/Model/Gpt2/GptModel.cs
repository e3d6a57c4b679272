using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// A decoder-only language model in GPT-2's layout (Hugging Face's GPT2LMHeadModel). State-dict keys
/// are Hugging Face's (<c>transformer.h.0.attn.c_attn.weight</c>, ...); the LM head is tied to
/// <c>transformer.wte.weight</c>, so, as in Hugging Face's safetensors files, it has no key of its own.
/// </summary>
public sealed class GptModel : nn.Module<Tensor, Tensor>
{
    private readonly GptTransformer transformer;
    private readonly HashSet<string> baseKeys;

    public GptModel(GptConfig config, Device? device = null) : base(nameof(GptModel))
    {
        if (config.NEmbd % config.NHead != 0)
            throw new ArgumentException($"n_embd ({config.NEmbd}) must be divisible by n_head ({config.NHead}).");
        Config = config;
        transformer = new GptTransformer(config);
        RegisterComponents();
        baseKeys = state_dict().Keys.ToHashSet(StringComparer.Ordinal);
        Initialise();
        if (device is not null && device.type != DeviceType.CPU) this.to(device);
    }

    public GptConfig Config { get; }

    /// <param name="idx">token ids (B, T), T ≤ n_positions</param>
    /// <returns>logits (B, T, V)</returns>
    public override Tensor forward(Tensor idx)
    {
        var x = transformer.forward(idx);                  // (B, T, C)
        return x.matmul(transformer.TokenEmbedding.t());   // (B, T, V)
    }

    /// <summary>The transformer blocks in order.</summary>
    public IReadOnlyList<Block> Blocks() => named_modules().Where(m => m.module is Block).Select(m => (Block)m.module).ToList();

    /// <summary>Every projection (linear layer) with its dotted path, e.g. <c>transformer.h.0.attn.c_attn</c>.</summary>
    public IEnumerable<(string Path, Projection Layer)> Projections() =>
        named_modules().Where(m => m.module is Projection).Select(m => (m.name, (Projection)m.module));

    /// <summary>
    /// True for the state-dict keys of the architecture itself (those a base model file holds); false
    /// for the tensors a fine-tuning method added (<c>lora_A</c>, <c>adapter_attn</c>, <c>prefix_key</c>,
    /// <c>ia3_l</c>). The model records its own keys when it is built, so it needs to know no method.
    /// </summary>
    public bool IsBaseKey(string key) => baseKeys.Contains(key);

    /// <summary>
    /// The weights the model effectively computes with: the base keys only (methods that add modules,
    /// bottleneck adapters and prefixes, are left out), each adapted projection's weight and bias
    /// replaced by what it applies (LoRA: base + B·A·scaling; (IA)³: the scaled weight). Drift measured
    /// on these is comparable between full fine-tuning and the methods.
    /// </summary>
    public Dictionary<string, Tensor> EffectiveStateDict()
    {
        var result = state_dict().Where(kv => IsBaseKey(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value.detach());
        foreach (var (path, layer) in Projections().Where(l => l.Layer.IsAdapted))
        {
            result[path + ".weight"] = layer.EffectiveWeight();
            result[path + ".bias"] = layer.EffectiveBias();
        }
        return result;
    }

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
