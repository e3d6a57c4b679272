using ForgetLab.Lab.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Training.Consolidation;

/// <summary>One weight a penalty compares with its starting value θ₀, under its state-dict name.</summary>
/// <param name="Current">θ as the model computes with it now (differentiable).</param>
public sealed record AnchoredWeight(string Name, Func<Tensor> Current, Tensor Start);

/// <summary>
/// What "θ" means for a method, captured at the start of fine-tuning (θ₀): the effective weight of
/// every adapted projection (LoRA: base + (B·A)ᵀ·scaling; (IA)³: the scaled weight), so a penalty sees the weight the model computes with,
/// and every other trainable parameter as it is. For full fine-tuning, BitFit and freezing those are
/// base weights; for bottleneck adapters and prefixes they are the method's own parameters at their
/// initial values.
/// </summary>
public sealed class AnchoredWeights : IDisposable
{
    private AnchoredWeights(IReadOnlyList<AnchoredWeight> weights) => Weights = weights;

    public IReadOnlyList<AnchoredWeight> Weights { get; }

    /// <summary>Call before the first training step, with the parameters the optimizer gets.</summary>
    public static AnchoredWeights Capture(CausalLanguageModel model, IReadOnlyList<Parameter> trainable)
    {
        var names = model.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);
        var weights = new List<AnchoredWeight>();
        using (no_grad())
        {
            var adapted = model.Projections().Where(l => l.Layer.IsAdapted).ToList();
            foreach (var (path, layer) in adapted)
                weights.Add(new AnchoredWeight(path + ".weight", layer.AdaptedWeight, layer.Weight.detach().clone()));
            foreach (var p in trainable)
            {
                if (!names.TryGetValue(p.Handle, out var name))
                    throw new ArgumentException("A trainable parameter does not belong to the model.", nameof(trainable));
                // A method's tensor on an adapted projection (lora_A, ia3_l) counts through its layer's effective weight.
                if (!model.IsBaseKey(name) && adapted.Any(l => name.StartsWith(l.Path + ".", StringComparison.Ordinal))) continue;
                weights.Add(new AnchoredWeight(name, () => p, p.detach().clone()));
            }
        }

        return new AnchoredWeights(weights);
    }

    public void Dispose()
    {
        foreach (var w in Weights) w.Start.Dispose();
    }
}
