namespace ForgetLab.Core.Analysis;

/// <summary>
/// The default direction of a suite's metric, in one place: a suite file may state
/// <c>higher_is_better</c>, and this is what it means when it does not. Losses (nats or bits per token,
/// perplexities, KL) are lower-is-better, as lm-evaluation-harness aggregates them; binary outcomes
/// (1 = correct) are higher-is-better; any other continuous metric is read as a loss, as the
/// evaluator's continuous kinds (<c>loglikelihood_rolling</c>, <c>kl_to_base</c>) all are.
/// </summary>
public static class MetricDirection
{
    private static readonly HashSet<string> Losses =
        new(["nats_per_token", "bits_per_token", "perplexity", "word_perplexity", "byte_perplexity", "bits_per_byte", "kl"], StringComparer.Ordinal);

    public static bool HigherIsBetter(string metric, OutcomeKind kind) =>
        !Losses.Contains(metric) && kind == OutcomeKind.Binary;
}
