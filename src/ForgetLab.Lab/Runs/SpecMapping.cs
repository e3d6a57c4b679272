using ForgetLab.Core.Specs;
using ForgetLab.Lab.Training;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Runs;

/// <summary>Translates spec vocabulary (Core, engine-agnostic) into the engine's own types.</summary>
internal static class SpecMapping
{
    public static ScheduleKind Schedule(LrSchedule schedule) => schedule switch
    {
        LrSchedule.Cosine => ScheduleKind.Cosine,
        LrSchedule.Constant => ScheduleKind.Constant,
        LrSchedule.Linear => ScheduleKind.Linear,
        _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, null),
    };

    public static string TargetName(TargetTask task) => task switch
    {
        TargetTask.ConflictingFacts => WorldTargets.ConflictingFactsName,
        TargetTask.NewEntities => WorldTargets.NewEntitiesName,
        TargetTask.Format => WorldTargets.FormatTaskName,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, null),
    };

    public static TrainSettings Train(TrainSpec train, int seed) =>
        new(train.Steps, train.BatchSize, train.Lr, train.WarmupSteps, Schedule(train.Schedule), train.WeightDecay, train.GradClip, train.CheckpointEvery, seed)
        {
            ComputeDtype = train.ComputeDtype,
            GradientCheckpointing = train.GradientCheckpointing,
        };
}
