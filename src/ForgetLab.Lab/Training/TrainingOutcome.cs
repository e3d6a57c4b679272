namespace ForgetLab.Lab.Training;

public enum TrainingStatus { Completed, Diverged, StoppedEarly }

/// <summary>Loss at one optimizer step (the mean over the batch's loss tokens).</summary>
public sealed record StepLoss(int Step, double Loss, double Lr);

/// <summary>How a training run ended, its loss curve, and the checkpoints it left (step → folder).</summary>
public sealed record TrainingOutcome(
    TrainingStatus Status,
    IReadOnlyList<StepLoss> Losses,
    IReadOnlyList<SavedCheckpoint> Checkpoints,
    double TokensPerSecond,
    string? Reason = null);

public sealed record SavedCheckpoint(int Step, string Directory);

/// <summary>Progress of a training run, reported once per step.</summary>
public sealed record TrainProgress(int Step, int TotalSteps, double Loss, double TokensPerSecond)
{
    /// <summary>Tokens this step trained on (the batch, padding included).</summary>
    public long StepTokens { get; init; }

    /// <summary>Wall time of this step: batch, forward, backward and optimizer (not checkpointing).</summary>
    public double StepSeconds { get; init; }

    /// <summary>A reward fine-tuning step's measures (reward and its components, KL, entropy, length); null for supervised steps.</summary>
    public Rl.RlStepLog? Rl { get; init; }
}
