using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// A fine-tuning method's part inside one attention layer (prefix tuning): given the queries and the
/// attention's output per head, it returns the output the heads pass on. The method registers its
/// tensors on the attention module, so their state-dict names sit under it (<c>attn.prefix_key</c>).
/// </summary>
public interface IAttentionHook
{
    /// <param name="q">queries (B, nh, T, hs)</param>
    /// <param name="y">the attention's output (B, nh, T, hs)</param>
    /// <returns>(B, nh, T, hs)</returns>
    Tensor Attend(Tensor q, Tensor y);
}
