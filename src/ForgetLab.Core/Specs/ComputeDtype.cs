namespace ForgetLab.Core.Specs;

/// <summary>
/// The precision a run's matrix products are computed in (YAML: <c>train.compute_dtype: float32 | bfloat16</c>).
/// Master weights, gradients and optimizer state stay float32 either way, as under PyTorch's autocast.
/// </summary>
public enum ComputeDtype
{
    /// <summary>Everything in float32 (the default).</summary>
    Float32,

    /// <summary>
    /// Matmuls, linear layers and attention in bfloat16, accumulating in float32; norms, softmax,
    /// reductions and the loss in float32 (autocast's policy on CPU and CUDA).
    /// </summary>
    BFloat16,
}
