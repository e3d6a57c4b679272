using ForgetLab.Core.Analysis;
using ForgetLab.Core.Specs;

namespace ForgetLab.Lab.Training.Consolidation;

/// <summary>
/// Retention-based early stopping: after each checkpoint, look at one suite's change from the base;
/// once it crosses the threshold (a drop of more than <c>max_drop_points</c>, i.e. delta &lt; −max, or
/// a severity worse than <c>max_severity</c>) stop, and keep the last checkpoint that was still
/// within it (none when the first one already crossed). Feed it from <c>Trainer.OnCheckpoint</c>:
/// return <see cref="Observe(int, double, Severity)"/>'s answer.
/// </summary>
public sealed class EarlyStopping
{
    public EarlyStopping(string suite, double? maxDropPoints, Severity? maxSeverity)
    {
        if (maxDropPoints is null == maxSeverity is null)
            throw new ArgumentException("Give exactly one of maxDropPoints and maxSeverity.");
        Suite = suite;
        MaxDropPoints = maxDropPoints;
        MaxSeverity = maxSeverity;
    }

    public static EarlyStopping From(EarlyStoppingSpec spec) => new(spec.Suite, spec.MaxDropPoints, spec.MaxSeverity);

    /// <summary>The watched suite's name as the spec wrote it.</summary>
    public string Suite { get; }

    public double? MaxDropPoints { get; }

    public Severity? MaxSeverity { get; }

    /// <summary>Step of the last checkpoint within the threshold; null if none was.</summary>
    public int? KeptStep { get; private set; }

    /// <summary>Step at which the threshold was crossed; null while training may go on.</summary>
    public int? StoppedAt { get; private set; }

    public bool Within(double deltaPoints, Severity severity) =>
        MaxDropPoints is { } max ? -deltaPoints <= max : severity <= MaxSeverity!.Value;

    /// <summary>Records one checkpoint; returns false ("stop") once the threshold is crossed.</summary>
    public bool Observe(int step, double deltaPoints, Severity severity)
    {
        if (StoppedAt is not null) return false;
        if (Within(deltaPoints, severity))
        {
            KeptStep = step;
            return true;
        }

        StoppedAt = step;
        return false;
    }

    /// <summary>
    /// <see cref="Observe(int, double, Severity)"/> on the watched suite's result in a checkpoint's
    /// assessment, found by <paramref name="suiteName"/> (the suite's own name, which for a suite file
    /// is the name inside it). A suite without a band counts as <see cref="Severity.None"/>.
    /// </summary>
    public bool Observe(int step, CheckpointAssessment assessment, string suiteName)
    {
        var result = assessment.Suites.FirstOrDefault(s => s.Suite == suiteName)
            ?? throw new ArgumentException($"The checkpoint has no result for suite '{suiteName}'.", nameof(suiteName));
        return Observe(step, result.DeltaPoints, result.Severity ?? Severity.None);
    }
}
