namespace ForgetLab.Core.Specs;

/// <summary>
/// Elastic weight consolidation (Kirkpatrick et al. 2017): penalty λ/2 · Σ F·(θ − θ₀)² with a
/// diagonal Fisher F estimated on pre-training batches at the base weights.
/// YAML: <c>train.ewc: { lambda: 100, fisher_batches: 20 }</c>.
/// </summary>
public sealed record EwcSpec : RegularizerSpec
{
    public override string Type => "ewc";

    public override string NameSuffix => "-ewc" + GridExpansion.FormatNumber(Lambda);

    public override IEnumerable<KeyValuePair<string, string>> Hyperparameters() =>
        Lambda > 0 ? [new("ewc_lambda", GridExpansion.FormatNumber(Lambda))] : [];

    /// <summary>Penalty strength λ; greater than 0.</summary>
    public double Lambda { get; init; }

    /// <summary>Pre-training batches the Fisher is averaged over. Default 20; 1..1000.</summary>
    public int FisherBatches { get; init; } = 20;

    /// <summary>The user's text JSONL this draws from; null: the base's own pre-training world.</summary>
    public CorpusRef? Corpus { get; init; }
}
