namespace ForgetLab.Lab.Training;

/// <summary>
/// Training stopped because its host asked for a checkpoint now (the run is preempted): the checkpoint at <see cref="Step"/> is saved and
/// reported, and the job ends without a report, since the run goes on elsewhere. A cancellation, so the lab's failure handling lets it pass.
/// </summary>
public sealed class TrainingPreempted(int step) : OperationCanceledException($"preempted: checkpointed at step {step}")
{
    public int Step { get; } = step;
}
