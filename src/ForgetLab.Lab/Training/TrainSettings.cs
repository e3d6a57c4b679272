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
    public LearningRateSchedule LrSchedule => new(Lr, WarmupSteps, Steps, Schedule);
}
