namespace ForgetLab.Core.Analysis;

/// <summary>
/// Per-item outcomes of one model on one suite version. Items are kept (not just the mean) so
/// that a checkpoint is compared with its base item by item, never as two unpaired samples.
/// </summary>
/// <param name="Suite">Suite name, e.g. "capitals_recall".</param>
/// <param name="Version">Suite version; two outcome sets are only comparable on the same version.</param>
/// <param name="Category">What the suite measures.</param>
/// <param name="Kind">Binary: each value is 1 (correct) or 0 (wrong). Continuous: any real number.</param>
/// <param name="Metric">Metric name, e.g. "acc", "acc_norm", "exact_match", "nats_per_token", "kl".</param>
/// <param name="HigherIsBetter">Direction of the metric; binary suites must be higher-is-better (1 = correct).</param>
/// <param name="Chance">Chance level as a fraction (0.25 for 4-way multiple choice, 0 for exact match); null when undefined.</param>
/// <param name="ItemIds">Stable item ids, unique within the suite.</param>
/// <param name="Values">One outcome per item id, same order.</param>
public sealed record SuiteOutcomes(
    string Suite,
    string Version,
    SuiteCategory Category,
    OutcomeKind Kind,
    string Metric,
    bool HigherIsBetter,
    double? Chance,
    IReadOnlyList<string> ItemIds,
    IReadOnlyList<double> Values);
