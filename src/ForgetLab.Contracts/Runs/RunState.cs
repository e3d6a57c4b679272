namespace ForgetLab.Contracts.Runs;

/// <summary>
/// A run's lifecycle: Pending → Queued → Leased → Running ⇄ Evaluating → Completed | Failed |
/// Cancelled | StoppedEarly, and back to Queued from Leased, Running or Evaluating when a lease is
/// lost (expired or preempted).
/// </summary>
[GenerateSerializer, Alias("forgetlab.RunState")]
public enum RunState
{
    Pending = 0,
    Queued = 1,
    Leased = 2,
    Running = 3,
    Evaluating = 4,
    Completed = 5,
    Failed = 6,
    Cancelled = 7,
    StoppedEarly = 8,
}
