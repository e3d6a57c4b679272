using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Llama;

/// <summary>
/// Hugging Face's LlamaRMSNorm: x · rsqrt(mean(x²) + ε) computed in float32, cast back to the input's
/// dtype, then scaled by <c>weight</c> (ones at init).
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight; // (C)
    private readonly double eps;

    public RmsNorm(long size, double eps) : base(nameof(RmsNorm))
    {
        weight = nn.Parameter(ones(size));
        this.eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var dtype = x.dtype;
        var h = x.to(ScalarType.Float32);
        var variance = h.pow(2).mean([-1], keepdim: true);              // (..., 1)
        h = h * rsqrt(variance + eps);
        return weight * h.to(dtype);
    }
}
