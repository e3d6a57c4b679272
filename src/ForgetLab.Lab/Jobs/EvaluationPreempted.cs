namespace ForgetLab.Lab.Jobs;

/// <summary>
/// An evaluation-only job stopped because its host asked for a checkpoint now (the run is preempted): the suites scored before the
/// request are in the lab's result cache, so the job that resumes the run reads them rather than scoring them again. Its step-0 folder
/// is reported as the preemption checkpoint and the job ends without a report. A cancellation, so the lab's failure handling lets it pass.
/// </summary>
public sealed class EvaluationPreempted(int suitesScored, int suites)
    : OperationCanceledException($"preempted: {suitesScored} of {suites} suites scored and cached")
{
    public int SuitesScored { get; } = suitesScored;
}
