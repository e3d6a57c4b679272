using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// The keys and values every attention layer has computed so far for a batch (transformers' <c>DynamicCache</c>):
/// a forward through <see cref="CausalLanguageModel.Forward(Tensor, KvCache)"/> sees the cached positions
/// 0..<see cref="Length"/>−1 as its past, appends its own, and starts its positions at <see cref="Length"/>. Rows of
/// a batch share one length (no padding), so a cached forward equals the full forward on the whole sequence.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Dictionary<AttentionModule, (Tensor Keys, Tensor Values)> layers = [];

    /// <summary>How many positions are cached.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// The layer's keys and values with <paramref name="keys"/> and <paramref name="values"/> (B, nkv, T, hs) appended
    /// along the sequence: (B, nkv, Length + T, hs) each. The cache keeps them beyond any dispose scope.
    /// </summary>
    internal (Tensor Keys, Tensor Values) Append(AttentionModule layer, Tensor keys, Tensor values)
    {
        if (layers.TryGetValue(layer, out var past))
        {
            keys = cat([past.Keys, keys], dim: 2);
            values = cat([past.Values, values], dim: 2);
            past.Keys.Dispose();
            past.Values.Dispose();
        }
        else
        {
            keys = keys.alias();
            values = values.alias();
        }
        layers[layer] = (keys.DetachFromDisposeScope(), values.DetachFromDisposeScope());
        return (keys, values);
    }

    /// <summary>
    /// A cache whose row r is row <paramref name="rows"/>[r] of this one, its past for a forward of its own: the choices
    /// of multiple-choice items continue their item's context, computed once.
    /// </summary>
    public KvCache Select(IReadOnlyList<long> rows)
    {
        var copy = new KvCache { Length = Length };
        using var index = tensor(rows.ToArray());
        foreach (var (layer, (keys, values)) in layers)
            copy.layers[layer] = (keys.index_select(0, index.to(keys.device)).DetachFromDisposeScope(), values.index_select(0, index.to(values.device)).DetachFromDisposeScope());
        return copy;
    }

    /// <summary>After a forward of <paramref name="tokens"/> positions: they are now the past.</summary>
    internal void Advance(long tokens) => Length += tokens;

    public void Dispose()
    {
        foreach (var (keys, values) in layers.Values)
        {
            keys.Dispose();
            values.Dispose();
        }
        layers.Clear();
    }
}
