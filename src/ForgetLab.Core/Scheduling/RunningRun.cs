namespace ForgetLab.Core.Scheduling;

/// <summary>A run holding devices, as preemption sees it.</summary>
/// <param name="RunId">Run.</param>
/// <param name="TenantId">Its tenant.</param>
/// <param name="Class">Its class.</param>
/// <param name="WorkerId">Worker it runs on.</param>
/// <param name="Kind">Kind of its devices.</param>
/// <param name="Devices">Devices it holds there.</param>
/// <param name="LastCheckpointAt">When its latest checkpoint was saved (its start when it has none): what a failed checkpoint-then-preempt would lose goes back to here.</param>
/// <param name="PreemptedAt">When it was preempted before, for loop protection.</param>
/// <param name="MemoryBytes">Memory of each of its devices; null when not reported.</param>
public sealed record RunningRun(
    string RunId,
    string TenantId,
    PriorityClass Class,
    string WorkerId,
    string Kind,
    int Devices,
    DateTimeOffset LastCheckpointAt,
    IReadOnlyList<DateTimeOffset> PreemptedAt,
    long? MemoryBytes = null);
