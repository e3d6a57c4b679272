using ForgetLab.Core.Specs;

namespace ForgetLab.Lab.Training;

/// <summary>What one training run does: how long, how fast, how it is regularised and checkpointed.</summary>
public sealed record TrainSettings(
    int Steps,
    int BatchSize,
    double Lr,
    int WarmupSteps,
    ScheduleKind Schedule,
    double WeightDecay,
    double GradClip,
    int CheckpointEvery,
    int Seed)
{
    /// <summary>Precision of the forward's matrix products (<see cref="Model.Autocast"/>); weights, gradients and AdamW's moments stay float32.</summary>
    public ComputeDtype ComputeDtype { get; init; } = ComputeDtype.Float32;

    /// <summary>Recompute each decoder layer's activations in backward instead of keeping them.</summary>
    public bool GradientCheckpointing { get; init; }

    public LearningRateSchedule LrSchedule => new(Lr, WarmupSteps, Steps, Schedule);
}
