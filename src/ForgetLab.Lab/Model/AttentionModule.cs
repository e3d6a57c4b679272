using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// A decoder layer's self-attention, whatever its projections. Methods that act inside attention
/// (prefix tuning) attach an <see cref="IAttentionHook"/>, which sees the queries and the per-head
/// output before the heads are merged; the architecture calls <see cref="Attend"/> at that point.
/// During a cached forward (<see cref="CausalLanguageModel.Forward(Tensor, KvCache)"/>) the layer's keys and values
/// join those of the past positions (<see cref="WithPast"/>) and the new queries attend to both (<see cref="Attention"/>).
/// </summary>
public abstract class AttentionModule : TorchSharp.torch.nn.Module<Tensor, Tensor>
{
    private readonly List<IAttentionHook> hooks = [];

    protected AttentionModule(string name, int headCount, long headSize) : base(name)
    {
        HeadCount = headCount;
        HeadSize = headSize;
    }

    /// <summary>Query heads.</summary>
    public int HeadCount { get; }

    /// <summary>Width of one head.</summary>
    public long HeadSize { get; }

    public IReadOnlyList<IAttentionHook> Hooks => hooks;

    public void Attach(IAttentionHook hook) => hooks.Add(hook);

    /// <summary>The cache of the forward under way, or null for a plain forward.</summary>
    internal KvCache? Cache { get; set; }

    /// <summary>The position of the first new token: how many the cache holds.</summary>
    protected long PastLength => Cache?.Length ?? 0;

    /// <param name="k">this forward's keys (B, nkv, T, hs)</param>
    /// <param name="v">this forward's values (B, nkv, T, hs)</param>
    /// <returns>the cached positions' and these: (B, nkv, past + T, hs) each</returns>
    protected (Tensor K, Tensor V) WithPast(Tensor k, Tensor v) => Cache is null ? (k, v) : Cache.Append(this, k, v);

    /// <summary>
    /// Causal scaled dot-product attention of T new queries over past + T keys: query i sees keys 0..past + i (a
    /// plain causal mask without a past; none for one new query, which sees every key).
    /// </summary>
    protected Tensor Attention(Tensor q, Tensor k, Tensor v, double dropout = 0)
    {
        var (t, past) = (q.shape[2], k.shape[2] - q.shape[2]);
        if (past == 0 && Autocast.Dtype is not null) return WrittenOutCausal(q, k, v, dropout);
        if (past == 0 || t == 1)
            return Autocast.ScaledDotProductAttention(q, k, v, dropout, isCausal: past == 0);             // (B, nh, T, hs)
        using var mask = ones(t, past + t, dtype: ScalarType.Bool, device: q.device).tril(past);     // (T, past + T)
        return Autocast.ScaledDotProductAttention(q, k, v, dropout, isCausal: false, mask);          // (B, nh, T, hs)
    }

    /// <summary>
    /// Causal attention under autocast written out, as <c>torch.autocast("cpu")</c> runs a model that writes it out (the
    /// PyTorch twin of <c>bench train</c> does): q·kᵀ and the probabilities · v are matmuls on autocast's list, so they
    /// run in the compute dtype (oneDNN's bfloat16 kernels); the scale, mask and softmax take their dtype. Not libtorch's
    /// fused kernel: its CPU flash attention in bfloat16 hands every block to MKL's bfloat16 GEMM, which on this AMD CPU
    /// converts both operands to float32 and packs them first: the one float32 GEMM left in a bfloat16 step's profile
    /// (docs/benchmarks.md).
    /// </summary>
    private static Tensor WrittenOutCausal(Tensor q, Tensor k, Tensor v, double dropout)
    {
        var t = q.shape[2];
        using var future = ones(t, t, dtype: ScalarType.Bool, device: q.device).triu(1);                       // (T, T)
        var scores = Autocast.MatMul(q, k.transpose(-2, -1)).mul(1.0 / Math.Sqrt(q.shape[^1]));              // (B, nh, T, T)
        var probabilities = scores.masked_fill(future, double.NegativeInfinity).softmax(-1);
        if (dropout > 0) probabilities = nn.functional.dropout(probabilities, dropout);
        return Autocast.MatMul(probabilities, v);                                                              // (B, nh, T, hs)
    }

    /// <param name="q">queries (B, nh, T, hs), as the attention scored them</param>
    /// <param name="y">the attention's output (B, nh, T, hs)</param>
    protected Tensor Attend(Tensor q, Tensor y)
    {
        foreach (var hook in hooks) y = hook.Attend(q, y);
        return y;                                                       // (B, nh, T, hs)
    }
}
