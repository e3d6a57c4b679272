using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// One transformer block of any architecture. Its two sublayers run through TorchSharp's <c>call</c>,
/// so a method may wrap their output with a forward hook and register its modules on the layer
/// (bottleneck adapters: <c>adapter_attn</c>, <c>adapter_mlp</c>) without the layer knowing the method.
/// </summary>
public abstract class DecoderLayer(string name) : TorchSharp.torch.nn.Module<Tensor, Tensor>(name)
{
    public abstract AttentionModule Attention { get; }

    public abstract TorchSharp.torch.nn.Module<Tensor, Tensor> Mlp { get; }
}
