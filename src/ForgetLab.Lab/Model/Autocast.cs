using ForgetLab.Core.Specs;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// PyTorch's CPU autocast, which TorchSharp 0.107 does not have, in the one form the models need: inside
/// <see cref="Enter"/> the operations on autocast's lower-precision list (linear layers, addmm, matmul,
/// scaled-dot-product attention) cast their floating-point inputs, weights included, to the compute dtype and
/// return their result in it, as <c>torch.autocast("cpu")</c> does: the next op (GELU, SiLU, the next projection,
/// attention on a projection's q/k/v) runs on the bfloat16 tensor, so no cast back and forth sits between two matrix
/// products. Ops on no list keep their inputs' dtype, and mixed inputs promote: the residual stream stays float32
/// (float32 + bfloat16 is float32), so the norms read float32. The logits go back to float32 (<see cref="Float32"/>):
/// cross-entropy, their main consumer, is on autocast's float32 list, and the log-softmax of RL and scoring reads them too. Master weights, gradients
/// and optimizer state never leave float32: the casts are ordinary autograd ops, so a weight's gradient comes back
/// float32. The state is per thread, as autocast's is; it is read during forward only (and restored for a
/// checkpointed layer's recompute).
/// </summary>
public static class Autocast
{
    [ThreadStatic] private static ScalarType? current;

    /// <summary>The compute dtype in effect on this thread, or null outside autocast (float32 everywhere).</summary>
    public static ScalarType? Dtype => current;

    /// <summary>Runs the enclosed forward in <paramref name="dtype"/> (null: float32, i.e. autocast off) until disposed.</summary>
    public static IDisposable Enter(ScalarType? dtype)
    {
        var previous = current;
        current = dtype;
        return new Restore(previous);
    }

    /// <summary>The spec's <c>compute_dtype</c> as autocast's dtype: null for float32.</summary>
    public static ScalarType? Of(ComputeDtype dtype) => dtype switch
    {
        ComputeDtype.Float32 => null,
        ComputeDtype.BFloat16 => ScalarType.BFloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary><paramref name="x"/> in the compute dtype when autocast is on and it is floating point; otherwise itself.</summary>
    public static Tensor Lower(Tensor x) =>
        current is { } dtype && x.is_floating_point() && x.dtype != dtype ? x.to(dtype) : x;

    /// <summary><c>linear(x, weight, bias)</c> under the autocast policy: in the compute dtype when autocast is on.</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null) =>
        current is null
            ? nn.functional.linear(x, weight, bias)
            : nn.functional.linear(Lower(x), Lower(weight), bias is null ? null : Lower(bias));

    /// <summary><c>a · b</c> under the autocast policy: in the compute dtype when autocast is on.</summary>
    public static Tensor MatMul(Tensor a, Tensor b) =>
        current is null ? a.matmul(b) : Lower(a).matmul(Lower(b));

    /// <summary><c>beta · bias + alpha · a · b</c> (addmm) under the autocast policy: in the compute dtype when autocast is on.</summary>
    public static Tensor AddMM(Tensor bias, Tensor a, Tensor b, float beta = 1f, float alpha = 1f) =>
        current is null ? addmm(bias, a, b, beta, alpha) : addmm(Lower(bias), Lower(a), Lower(b), beta, alpha);

    /// <summary>Causal scaled-dot-product attention under the autocast policy: in the compute dtype when autocast is on.</summary>
    public static Tensor ScaledDotProductAttention(Tensor q, Tensor k, Tensor v, double p = 0, bool isCausal = true, Tensor? mask = null) =>
        current is null
            ? nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask, p: p, is_casual: isCausal)
            : nn.functional.scaled_dot_product_attention(Lower(q), Lower(k), Lower(v), attn_mask: mask, p: p, is_casual: isCausal);

    /// <summary>
    /// <paramref name="x"/> as float32, as autocast casts the input of an op on its float32 list (cross-entropy reads the
    /// logits); itself when it is float32 already or autocast is off.
    /// </summary>
    public static Tensor Float32(Tensor x) =>
        x.is_floating_point() && x.dtype != ScalarType.Float32 && current is not null ? x.to(ScalarType.Float32) : x;

    private sealed class Restore(ScalarType? previous) : IDisposable
    {
        public void Dispose() => current = previous;
    }
}
