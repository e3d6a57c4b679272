using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// PyTorch's <c>nn.Linear</c> as a <see cref="Projection"/>: weight (out, in), an optional bias, so
/// Llama- and Qwen-family layers (<c>q_proj</c>, …, <c>down_proj</c>) interchange with Hugging Face's
/// state dicts as they are and every projection method finds them by PEFT's names.
/// </summary>
public sealed class LinearProjection : Projection
{
    private readonly Parameter weight;  // (out, in)
    private readonly Parameter? bias;   // (out)

    public LinearProjection(long inFeatures, long outFeatures, bool hasBias) : base(nameof(LinearProjection), inFeatures, outFeatures)
    {
        weight = nn.Parameter(empty(outFeatures, inFeatures));
        bias = hasBias ? nn.Parameter(zeros(outFeatures)) : null;
        RegisterComponents();
    }

    public override Parameter Weight => weight;
    public override Parameter? Bias => bias;

    public override Tensor Stored(Tensor outIn) => outIn;

    protected override Tensor Project(Tensor flat, Tensor weight, Tensor? bias) => Autocast.Linear(flat, weight, bias);
}
