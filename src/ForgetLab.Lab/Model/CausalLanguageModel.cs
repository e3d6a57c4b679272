using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// A decoder-only causal language model of any architecture: token ids (B, T) in, logits (B, T, V)
/// out. The trainer, the evaluator, the consolidation terms and every fine-tuning method take this;
/// what they reach inside it is its <see cref="Layers"/> (attention and MLP sublayers) and its
/// <see cref="Projections"/>, found by path under Hugging Face's state-dict names.
/// </summary>
public abstract class CausalLanguageModel(string name) : TorchSharp.torch.nn.Module<Tensor, Tensor>(name)
{
    private HashSet<string> baseKeys = new(StringComparer.Ordinal);

    public abstract IModelConfig Config { get; }

    /// <summary>
    /// PEFT's <c>fan_in_fan_out</c> for this architecture's projections: true where weights are stored
    /// (in, out), as GPT-2's Conv1D does; false for PyTorch <c>Linear</c>'s (out, in).
    /// </summary>
    public abstract bool FanInFanOut { get; }

    /// <summary>
    /// The last hidden states (B, T, C) of <paramref name="idx"/> (B, T): the final norm's output, before the LM head, as
    /// Hugging Face's base model returns them. A sequence-classification head (the reward model's score) reads these.
    /// </summary>
    public abstract Tensor HiddenStates(Tensor idx);

    /// <summary>
    /// The LM head on hidden states (..., C) → logits (..., V), float32 as <c>forward</c>'s are (<c>forward</c> is this on
    /// <see cref="HiddenStates"/>). Scoring applies it only at the positions that predict a scored token.
    /// </summary>
    public abstract Tensor Logits(Tensor hidden);

    /// <summary>The decoder layers in order.</summary>
    public IReadOnlyList<DecoderLayer> Layers() =>
        named_modules().Where(m => m.module is DecoderLayer).Select(m => (DecoderLayer)m.module).ToList();

    /// <summary>
    /// Gradient checkpointing for every decoder layer (<c>train.gradient_checkpointing</c>): each keeps only its
    /// input during training and recomputes its activations in backward (<see cref="LayerCheckpoint"/>).
    /// </summary>
    public bool GradientCheckpointing
    {
        get => Layers().Any(l => l.Checkpointed);
        set
        {
            foreach (var layer in Layers()) layer.Checkpointed = value;
        }
    }

    /// <summary>Every projection (linear layer) with its dotted path, e.g. <c>model.layers.0.self_attn.q_proj</c>.</summary>
    public IEnumerable<(string Path, Projection Layer)> Projections() =>
        named_modules().Where(m => m.module is Projection).Select(m => (m.name, (Projection)m.module));

    /// <summary>
    /// True for the state-dict keys of the architecture itself (those a base model file holds); false
    /// for the tensors a fine-tuning method added (<c>lora_A</c>, <c>adapter_attn</c>, <c>prefix_key</c>,
    /// <c>ia3_l</c>). The model records its own keys when it is built, so it needs to know no method.
    /// </summary>
    public bool IsBaseKey(string key) => baseKeys.Contains(key);

    /// <summary>The architecture's own state dict: what a model file holds.</summary>
    public Dictionary<string, Tensor> BaseStateDict() =>
        state_dict().Where(kv => IsBaseKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);

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
            if (layer.EffectiveBias() is { } bias) result[path + ".bias"] = bias;
        }
        return result;
    }

    /// <summary>
    /// A forward of <paramref name="idx"/> (B, T) as the continuation of what <paramref name="cache"/> holds: positions
    /// start at its length, every layer attends to its cached keys and values, and the cache takes this forward's.
    /// The logits (B, T, V) equal those of the last T positions of a plain forward on the whole sequence.
    /// </summary>
    public Tensor Forward(Tensor idx, KvCache cache)
    {
        var attention = Layers().Select(l => l.Attention).ToList();
        foreach (var layer in attention) layer.Cache = cache;
        try
        {
            var logits = forward(idx);
            cache.Advance(idx.shape[1]);
            return logits;
        }
        finally
        {
            foreach (var layer in attention) layer.Cache = null;
        }
    }

    /// <summary>Where this forward's positions start: the length of the cache under way, else 0.</summary>
    protected long PositionOffset => Layers().FirstOrDefault()?.Attention.Cache?.Length ?? 0;

    /// <summary>Called by an architecture once its modules are registered, before any method attaches.</summary>
    protected void RecordBaseKeys() => baseKeys = state_dict().Keys.ToHashSet(StringComparer.Ordinal);
}
