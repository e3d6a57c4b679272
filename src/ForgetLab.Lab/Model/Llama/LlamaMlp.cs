using TorchSharp;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Llama;

/// <summary>Hugging Face's LlamaMLP: down_proj(silu(gate_proj(x)) · up_proj(x)), SwiGLU.</summary>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    private readonly LinearProjection gate_proj;
    private readonly LinearProjection up_proj;
    private readonly LinearProjection down_proj;

    public LlamaMlp(LlamaConfig config) : base(nameof(LlamaMlp))
    {
        gate_proj = new LinearProjection(config.HiddenSize, config.IntermediateSize, config.MlpHasBias);
        up_proj = new LinearProjection(config.HiddenSize, config.IntermediateSize, config.MlpHasBias);
        down_proj = new LinearProjection(config.IntermediateSize, config.HiddenSize, config.MlpHasBias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        down_proj.forward(nn.functional.silu(gate_proj.forward(x)) * up_proj.forward(x));  // (B, T, C)
}
