using static TorchSharp.torch;

namespace ForgetLab.Lab.Training.Consolidation;

/// <summary>
/// Elastic weight consolidation (Kirkpatrick et al. 2017): λ/2 · Σ F·(θ − θ₀)² over the anchored
/// weights that have a Fisher entry (base weights, LoRA's effective weights); its gradient is
/// λF(θ − θ₀). Weights that only an adapter has (bottleneck adapters, prefixes) have no Fisher and
/// are not penalised, so for those methods the term is zero. Plug <see cref="Loss"/> into <c>Trainer.ExtraLoss</c>.
/// </summary>
public sealed class Ewc : IRegularizer
{
    private readonly List<(AnchoredWeight Weight, Tensor Fisher)> terms;

    public Ewc(AnchoredWeights anchors, FisherDiagonal fisher, double lambda)
    {
        Lambda = lambda;
        terms = anchors.Weights
            .Where(w => fisher.Values.ContainsKey(w.Name))
            .Select(w => (w, fisher.Values[w.Name]))
            .ToList();
    }

    public double Lambda { get; }

    /// <summary>How many anchored weights the penalty covers (0: the method changes no base weight).</summary>
    public int Covered => terms.Count;

    public Tensor Loss()
    {
        var sum = zeros(1).squeeze();
        foreach (var (w, f) in terms) sum = sum + (f * (w.Current() - w.Start).square()).sum();
        return sum * (Lambda / 2);
    }
}
