using ForgetLab.Contracts.Runs;

namespace ForgetLab.Grains.Runs;

/// <summary>
/// The legal moves of a run, as one table: Pending → Queued → Leased → Running ⇄ Evaluating →
/// Completed | Failed | Cancelled | StoppedEarly, and back to Queued from Leased, Running or
/// Evaluating when the lease is lost. A search's run that has scored its rung checkpoint waits Running → Paused (its
/// lease given back) until the rung is decided: Paused → Queued to resume from that checkpoint, or → StoppedEarly.
/// Ended runs move nowhere.
/// </summary>
public static class RunLifecycle
{
    private static readonly Dictionary<RunState, RunState[]> Moves = new()
    {
        [RunState.Pending] = [RunState.Queued, RunState.Cancelled],
        // A queued or leased run may end StoppedEarly too: the experiment's search stops it wherever it is.
        [RunState.Queued] = [RunState.Leased, RunState.Cancelled, RunState.StoppedEarly],
        [RunState.Leased] = [RunState.Running, RunState.Queued, RunState.Failed, RunState.Cancelled, RunState.StoppedEarly],
        [RunState.Running] = [RunState.Evaluating, RunState.Queued, RunState.Completed, RunState.StoppedEarly, RunState.Failed, RunState.Cancelled, RunState.Paused],
        [RunState.Evaluating] = [RunState.Running, RunState.Queued, RunState.Completed, RunState.StoppedEarly, RunState.Failed, RunState.Cancelled],
        [RunState.Paused] = [RunState.Queued, RunState.StoppedEarly, RunState.Cancelled],
        [RunState.Completed] = [],
        [RunState.Failed] = [],
        [RunState.Cancelled] = [],
        [RunState.StoppedEarly] = [],
    };

    public static bool Allows(RunState from, RunState to) => Moves[from].Contains(to);

    public static bool HasEnded(RunState state) => Moves[state].Length == 0;

    /// <summary>True while a worker holds the run under a lease.</summary>
    public static bool IsHeld(RunState state) => state is RunState.Leased or RunState.Running or RunState.Evaluating;

    /// <summary>The message for a refused move: what was asked, from where, and what is allowed from there.</summary>
    public static string Refusal(RunState from, RunState to) => HasEnded(from)
        ? $"illegal transition {from} → {to}: the run has ended ({from})"
        : $"illegal transition {from} → {to}: from {from} a run may only go to {string.Join(", ", Moves[from])}";
}
