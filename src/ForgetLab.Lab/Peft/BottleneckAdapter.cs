using ForgetLab.Lab.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Peft;

/// <summary>
/// A Houlsby bottleneck adapter (Houlsby et al. 2019): h + up(GELU(down(h))), C → bottleneck → C.
/// <c>up</c> starts at zero (weight and bias), so at step 0 the adapter is exactly the identity.
/// </summary>
public sealed class BottleneckAdapter : nn.Module<Tensor, Tensor>
{
    private readonly Linear down;
    private readonly Linear up;

    public BottleneckAdapter(long width, int bottleneck) : base(nameof(BottleneckAdapter))
    {
        down = nn.Linear(width, bottleneck);
        up = nn.Linear(bottleneck, width);
        using (no_grad())
        {
            up.weight!.zero_();
            up.bias!.zero_();
        }
        RegisterComponents();
    }

    // Through Autocast as the projections are: under it, h is the sublayer's bfloat16 output.
    public override Tensor forward(Tensor h) =>
        h + Autocast.Linear(Autocast.Linear(h, down.weight!, down.bias).gelu(), up.weight!, up.bias);   // (B, T, C)
}
