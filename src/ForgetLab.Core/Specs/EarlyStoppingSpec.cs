using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Specs;

/// <summary>
/// Stop fine-tuning once a watched suite drops past a threshold, keeping the last checkpoint
/// that was still within it. Exactly one of <see cref="MaxDropPoints"/> and
/// <see cref="MaxSeverity"/> is set. YAML: <c>train.early_stopping: { suite: capitals_recall, max_drop_points: 5 }</c>.
/// </summary>
public sealed record EarlyStoppingSpec
{
    /// <summary>The suite watched; one of the spec's suites (as written there).</summary>
    public required string Suite { get; init; }

    /// <summary>Largest tolerated drop in percentage points (base − checkpoint); greater than 0.</summary>
    public double? MaxDropPoints { get; init; }

    /// <summary>Worst tolerated severity band (mild, moderate, severe or catastrophic).</summary>
    public Severity? MaxSeverity { get; init; }
}
