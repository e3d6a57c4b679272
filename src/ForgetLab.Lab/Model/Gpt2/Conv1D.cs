using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Gpt2;

/// <summary>
/// GPT-2's "Conv1D": a linear layer whose weight is stored as (in, out), so state dicts interchange
/// with Hugging Face's GPT-2 without transposes (PEFT's <c>fan_in_fan_out</c>).
/// </summary>
public sealed class Conv1D : Projection
{
    private readonly Parameter weight; // (in, out)
    private readonly Parameter bias;   // (out)

    public Conv1D(long inFeatures, long outFeatures) : base(nameof(Conv1D), inFeatures, outFeatures)
    {
        weight = nn.Parameter(empty(inFeatures, outFeatures));
        bias = nn.Parameter(zeros(outFeatures));
        RegisterComponents();
    }

    public override Parameter Weight => weight;
    public override Parameter Bias => bias;

    public override Tensor Stored(Tensor outIn) => outIn.t();

    protected override Tensor Project(Tensor flat, Tensor weight, Tensor? bias) => Autocast.AddMM(bias!, flat, weight);
}
