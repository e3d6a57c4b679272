namespace ForgetLab.Core.Specs;

/// <summary>
/// A penalty added to the fine-tuning loss (EWC, L2-SP, distillation from the base). The hierarchy is
/// closed: each regulariser is a sealed record of this assembly that names its runs and lists its
/// report fields; the engine maps each onto its own term (<c>ForgetLab.Lab.Training.Consolidation.Regularizers</c>).
/// A run has each at most once (<see cref="TrainSpec.Regularizers"/>, in a fixed order).
/// </summary>
public abstract record RegularizerSpec
{
    private protected RegularizerSpec()
    {
    }

    /// <summary>The YAML key under <c>train:</c> (ewc, l2sp, distill).</summary>
    public abstract string Type { get; }

    /// <summary>The run name's part for it, e.g. "-ewc1e2".</summary>
    public abstract string NameSuffix { get; }

    /// <summary>Its settings as a run report lists them (<c>ewc_lambda</c>, ...); none while its strength is 0.</summary>
    public abstract IEnumerable<KeyValuePair<string, string>> Hyperparameters();
}
