namespace ForgetLab.Core.Specs;

/// <summary>
/// Experience replay: this fraction of every fine-tuning batch is pre-training text
/// (exactly round(ratio · batch_size) rows). YAML: <c>train.replay: { ratio: 0.25 }</c>.
/// </summary>
public sealed record ReplaySpec
{
    /// <summary>Fraction of each batch drawn from pre-training data; 0..0.95 (0 is off).</summary>
    public double Ratio { get; init; }

    public const double MaxRatio = 0.95;

    /// <summary>The user's text JSONL this draws from; null: the base's own pre-training world.</summary>
    public CorpusRef? Corpus { get; init; }
}
