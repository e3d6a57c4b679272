namespace ForgetLab.Core.Specs;

/// <summary>
/// Self-distillation from the frozen base on general (pre-training) text: loss term
/// β · T² · KL(p_base,T ‖ p_model,T). YAML: <c>train.distill: { beta: 1, temperature: 2 }</c>.
/// </summary>
public sealed record DistillSpec : RegularizerSpec
{
    public override string Type => "distill";

    public override string NameSuffix => "-distill" + GridExpansion.FormatNumber(Beta);

    public override IEnumerable<KeyValuePair<string, string>> Hyperparameters() =>
        Beta > 0 ? [new("distill_beta", GridExpansion.FormatNumber(Beta)), new("distill_temperature", GridExpansion.FormatNumber(Temperature))] : [];

    /// <summary>Weight β of the distillation term; greater than 0.</summary>
    public double Beta { get; init; }

    /// <summary>Softmax temperature T. Default 1; greater than 0.</summary>
    public double Temperature { get; init; } = 1;

    /// <summary>The user's text JSONL this draws from; null: the base's own pre-training world.</summary>
    public CorpusRef? Corpus { get; init; }
}
