using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Gpt2;

/// <summary>The position-wise feed-forward block: C → 4C → C with GPT-2's tanh-approximated GELU.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Conv1D c_fc;
    private readonly Conv1D c_proj;
    private readonly Dropout dropout;

    public Mlp(GptConfig config) : base(nameof(Mlp))
    {
        c_fc = new Conv1D(config.NEmbd, 4 * config.NEmbd);
        c_proj = new Conv1D(4 * config.NEmbd, config.NEmbd);
        dropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        dropout.forward(c_proj.forward(c_fc.forward(x).gelu(GELU.Approximate.tanh)));
}
