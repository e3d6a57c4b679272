using ForgetLab.Core.Specs;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// PyTorch's autocast, which TorchSharp 0.107 does not have, in the one form the models need: inside
/// <see cref="Enter"/> the operations on autocast's lower-precision list (linear layers, matmul,
/// scaled-dot-product attention) cast their floating-point inputs, weights included, to the compute dtype,
/// compute there (oneDNN accumulates in float32) and hand back the caller's dtype. Everything else (norms,
/// softmax, reductions, the loss, the residual stream) stays float32, and master weights, gradients and
/// optimizer state never leave float32: the casts are ordinary autograd ops, so gradients come back float32.
/// The state is per thread, as autocast's is; it is read during forward only (and restored for a checkpointed
/// layer's recompute).
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

    /// <summary><c>linear(x, weight, bias)</c> under the autocast policy; the result in x's dtype.</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null) =>
        current is null
            ? nn.functional.linear(x, weight, bias)
            : nn.functional.linear(Lower(x), Lower(weight), bias is null ? null : Lower(bias)).to(x.dtype);

    /// <summary><c>a · b</c> under the autocast policy; the result in a's dtype.</summary>
    public static Tensor MatMul(Tensor a, Tensor b) =>
        current is null ? a.matmul(b) : Lower(a).matmul(Lower(b)).to(a.dtype);

    /// <summary><c>bias + a · b</c> (addmm) under the autocast policy; the result in a's dtype.</summary>
    public static Tensor AddMM(Tensor bias, Tensor a, Tensor b) =>
        current is null ? addmm(bias, a, b, 1f, 1f) : addmm(Lower(bias), Lower(a), Lower(b), 1f, 1f).to(a.dtype);

    /// <summary>Causal scaled-dot-product attention under the autocast policy; the result in q's dtype.</summary>
    public static Tensor ScaledDotProductAttention(Tensor q, Tensor k, Tensor v, double p = 0, bool isCausal = true) =>
        current is null
            ? nn.functional.scaled_dot_product_attention(q, k, v, p: p, is_casual: isCausal)
            : nn.functional.scaled_dot_product_attention(Lower(q), Lower(k), Lower(v), p: p, is_casual: isCausal).to(q.dtype);

    private sealed class Restore(ScalarType? previous) : IDisposable
    {
        public void Dispose() => current = previous;
    }
}
