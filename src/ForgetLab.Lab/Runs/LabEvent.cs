namespace ForgetLab.Lab.Runs;

/// <summary>Which part of a lab run a progress event belongs to.</summary>
public enum LabPhase { Pretrain, Baseline, Train, Evaluate, Report }

/// <summary>
/// Progress of a lab run for a display (CLI progress bars, later the platform's live pages):
/// <paramref name="Task"/> names the bar ("pretrain", "baseline", a run name), Done/Total its position.
/// </summary>
public sealed record LabEvent(LabPhase Phase, string Task, long Done, long Total, string? Detail = null);
