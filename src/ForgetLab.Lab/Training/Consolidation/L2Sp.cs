using static TorchSharp.torch;

namespace ForgetLab.Lab.Training.Consolidation;

/// <summary>
/// L2-SP (Li et al. 2018): α/2 · Σ ‖θ − θ₀‖² over the anchored weights, pulling fine-tuning
/// towards where it started rather than towards zero. Its gradient is α(θ − θ₀).
/// Plug <see cref="Loss"/> into <c>Trainer.ExtraLoss</c>.
/// </summary>
public sealed class L2Sp(AnchoredWeights anchors, double alpha) : IRegularizer
{
    public double Alpha => alpha;

    public Tensor Loss()
    {
        var sum = zeros(1).squeeze();
        foreach (var w in anchors.Weights) sum = sum + (w.Current() - w.Start).square().sum();
        return sum * (alpha / 2);
    }
}
