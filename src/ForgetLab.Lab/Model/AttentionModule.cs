using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// A decoder layer's self-attention, whatever its projections. Methods that act inside attention
/// (prefix tuning) attach an <see cref="IAttentionHook"/>, which sees the queries and the per-head
/// output before the heads are merged; the architecture calls <see cref="Attend"/> at that point.
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

    /// <param name="q">queries (B, nh, T, hs), as the attention scored them</param>
    /// <param name="y">the attention's output (B, nh, T, hs)</param>
    protected Tensor Attend(Tensor q, Tensor y)
    {
        foreach (var hook in hooks) y = hook.Attend(q, y);
        return y;                                                       // (B, nh, T, hs)
    }
}
