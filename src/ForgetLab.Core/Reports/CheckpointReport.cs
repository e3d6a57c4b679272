using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Reports;

/// <summary>
/// Suite results at one training step, so the report shows when forgetting set in, not only
/// where it ended. Train loss may be NaN for a diverged step.
/// </summary>
public sealed record CheckpointReport(
    long Step,
    double? TrainLoss,
    IReadOnlyList<SuiteResult> Suites)
{
    /// <summary>Relative parameter drift ‖θ−θ₀‖/‖θ₀‖ per layer group (embeddings, h.0, …, ln_f); null when not measured.</summary>
    public IReadOnlyDictionary<string, double>? Drift { get; init; }

    /// <summary>
    /// Wall seconds the job spent training (checkpoint saving included) since its previous checkpoint or its start,
    /// up to this checkpoint; null in reports written before it was measured.
    /// </summary>
    public double? TrainingSeconds { get; init; }

    /// <summary>Wall seconds scoring this checkpoint on every suite; null in reports written before it was measured.</summary>
    public double? EvaluationSeconds { get; init; }

    /// <summary>Reward, KL, entropy and length of a reward-fine-tuned run (<c>train.rl</c>); null for supervised runs.</summary>
    public RlMeasurement? Rl { get; init; }
}
