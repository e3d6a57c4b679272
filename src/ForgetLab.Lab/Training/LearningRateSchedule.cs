namespace ForgetLab.Lab.Training;

public enum ScheduleKind { Cosine, Constant, Linear }

/// <summary>Linear warm-up to the peak rate, then cosine (to 10% of peak), constant or linear decay.</summary>
public sealed record LearningRateSchedule(double PeakLr, int WarmupSteps, int TotalSteps, ScheduleKind Kind = ScheduleKind.Cosine, double MinLrRatio = 0.1)
{
    /// <summary>The rate for the update that produces step <paramref name="step"/> (1-based).</summary>
    public double At(int step)
    {
        if (WarmupSteps > 0 && step <= WarmupSteps) return PeakLr * step / WarmupSteps;
        if (Kind == ScheduleKind.Constant || TotalSteps <= WarmupSteps) return PeakLr;
        var progress = Math.Clamp((double)(step - WarmupSteps) / (TotalSteps - WarmupSteps), 0, 1);
        var min = PeakLr * MinLrRatio;
        return Kind == ScheduleKind.Cosine
            ? min + 0.5 * (PeakLr - min) * (1 + Math.Cos(Math.PI * progress))
            : PeakLr - (PeakLr - min) * progress;
    }
}
