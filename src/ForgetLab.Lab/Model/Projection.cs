using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>
/// A linear projection, the layer every architecture's attention and MLP are built of (GPT-2's
/// <see cref="Gpt2.Conv1D"/>, Llama's <see cref="LinearProjection"/>). Methods that work by
/// module name (PEFT's <c>target_modules</c>: LoRA, (IA)³) find projections by path and attach an
/// <see cref="IProjectionHook"/>, registering their tensors as children of the layer.
/// </summary>
public abstract class Projection : nn.Module<Tensor, Tensor>
{
    private readonly List<IProjectionHook> hooks = [];

    protected Projection(string name, long inFeatures, long outFeatures) : base(name)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }

    /// <summary>The base weight, in the layer's stored orientation (<see cref="Stored"/>).</summary>
    public abstract Parameter Weight { get; }

    /// <summary>The bias, or null where the architecture has none (Llama's projections by default).</summary>
    public abstract Parameter? Bias { get; }

    /// <summary>The hooks attached, in the order they apply.</summary>
    public IReadOnlyList<IProjectionHook> Hooks => hooks;

    /// <summary>True when a method changes what this layer computes.</summary>
    public bool IsAdapted => hooks.Count > 0;

    /// <summary>A tensor in PyTorch <c>Linear</c>'s (out, in) orientation, turned into the layer's stored one.</summary>
    public abstract Tensor Stored(Tensor outIn);

    /// <summary>The base computation on a flattened input, (N, in) → (N, out), through <see cref="Autocast"/>.</summary>
    protected abstract Tensor Project(Tensor flat, Tensor weight, Tensor? bias);

    public void Attach(IProjectionHook hook) => hooks.Add(hook);

    public sealed override Tensor forward(Tensor x)
    {
        var shape = x.shape.ToArray();
        shape[^1] = OutFeatures;
        var flat = x.reshape(-1, InFeatures);                 // (N, in)
        var input = flat;
        foreach (var hook in hooks) input = hook.Input(input);
        var y = Project(input, Weight, Bias);                 // (N, out), in autocast's compute dtype when it is on
        foreach (var hook in hooks) y = hook.Output(flat, y);
        return y.view(shape);
    }

    /// <summary>The weight this layer applies (base and every hook), detached, in stored orientation.</summary>
    public Tensor EffectiveWeight() => hooks.Aggregate(Weight.detach(), (w, h) => h.Weight(this, w, differentiable: false));

    /// <summary>The effective weight as a differentiable tensor (penalties on it reach the method's tensors).</summary>
    public Tensor AdaptedWeight() => hooks.Aggregate((Tensor)Weight, (w, h) => h.Weight(this, w, differentiable: true));

    /// <summary>The bias this layer applies, detached; null when the layer has none.</summary>
    public Tensor? EffectiveBias() => Bias is null ? null : hooks.Aggregate(Bias.detach(), (b, h) => h.Bias(this, b));
}
