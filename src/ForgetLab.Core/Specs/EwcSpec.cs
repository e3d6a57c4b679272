namespace ForgetLab.Core.Specs;

/// <summary>
/// Elastic weight consolidation (Kirkpatrick et al. 2017): penalty λ/2 · Σ F·(θ − θ₀)² with a
/// diagonal Fisher F estimated on pre-training batches at the base weights.
/// YAML: <c>train.ewc: { lambda: 100, fisher_batches: 20 }</c>.
/// </summary>
public sealed record EwcSpec
{
    /// <summary>Penalty strength λ; greater than 0.</summary>
    public double Lambda { get; init; }

    /// <summary>Pre-training batches the Fisher is averaged over. Default 20; 1..1000.</summary>
    public int FisherBatches { get; init; } = 20;
}
