namespace ForgetLab.Core.Reports;

/// <summary>A run's wall time split into training (checkpoint saving included) and scoring its checkpoints, in seconds.</summary>
public sealed record RunTime(double TrainingSeconds, double EvaluationSeconds)
{
    /// <summary>Evaluation's share of the two, 0–1 (0 when neither took any time).</summary>
    public double EvaluationShare => TrainingSeconds + EvaluationSeconds > 0 ? EvaluationSeconds / (TrainingSeconds + EvaluationSeconds) : 0;
}
