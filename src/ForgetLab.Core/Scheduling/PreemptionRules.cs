namespace ForgetLab.Core.Scheduling;

/// <summary>Limits on preemption.</summary>
/// <param name="ProtectAfter">A run preempted this many times within <paramref name="Window"/> is not preempted again (no preemption loops, Kueue #3779).</param>
/// <param name="Window">The window preemptions are counted over.</param>
/// <param name="MaxPlans">Plans made per call, so one decision does not stop half the pool.</param>
public sealed record PreemptionRules(int ProtectAfter, TimeSpan Window, int MaxPlans)
{
    public static PreemptionRules Default { get; } = new(3, TimeSpan.FromHours(6), 4);

    /// <summary>True when the run has been preempted <see cref="ProtectAfter"/> times within the window before <paramref name="now"/>.</summary>
    public bool Protects(RunningRun run, DateTimeOffset now) =>
        run.PreemptedAt.Count(at => at > now - Window && at <= now) >= ProtectAfter;
}
