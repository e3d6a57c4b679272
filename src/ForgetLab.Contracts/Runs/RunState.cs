namespace ForgetLab.Contracts.Runs;

/// <summary>
/// A run's lifecycle: Pending → Queued → Leased → Running ⇄ Evaluating → Completed | Failed |
/// Cancelled | StoppedEarly, and back to Queued from Leased, Running or Evaluating when a lease is
/// lost (expired or preempted). A run of a search experiment waits Paused at a rung, holding no device,
/// until the experiment's other runs have reached it; it then goes back to Queued or ends StoppedEarly.
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
    Paused = 9,
}
