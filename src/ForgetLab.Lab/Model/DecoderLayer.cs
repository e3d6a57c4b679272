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

    /// <summary>Recompute this layer's activations in backward instead of keeping them (<see cref="CausalLanguageModel.GradientCheckpointing"/>).</summary>
    public bool Checkpointed { get; set; }

    /// <summary>
    /// The layer as the backbone runs it: checkpointed when <see cref="Checkpointed"/> and a graph is being
    /// built for training, a plain forward otherwise (evaluation, no_grad).
    /// </summary>
    public Tensor Run(Tensor x) =>
        Checkpointed && training && is_grad_enabled() ? LayerCheckpoint.Run(this, x) : forward(x);
}
