namespace ForgetLab.Core.Analysis;

/// <summary>
/// One model's result on one suite: the per-item outcomes the analysis pairs, and what the model
/// answered per item (generated text or chosen option; null for perplexity and KL) so a report can
/// say "base answered lima, this checkpoint answers quito".
/// </summary>
public sealed record SuiteEvaluation(SuiteOutcomes Outcomes, IReadOnlyList<string?> Responses);
