namespace ForgetLab.Worker;

/// <summary>
/// How many leases a worker may still take over its life (<see cref="WorkerOptions.MaxLeases"/>; none set: no limit). Counted when
/// a grant is kept, so a lease preempted, lost or refused counts as one taken: the limit is on the work a machine agreed to start,
/// which is what a machine lent for a fixed amount of work (or a test that needs a run to resume on another worker) bounds.
/// </summary>
public sealed class LeaseAllowance(int? max)
{
    /// <summary>A limit below one would be a worker that never works: refused with the switch and setting that name it.</summary>
    public static LeaseAllowance From(int? max) =>
        max is < 1 ? throw new ArgumentException($"--max-leases (ForgetLab:Worker:MaxLeases): must be a whole number ≥ 1, got {max}") : new(max);

    public int Taken { get; private set; }

    /// <summary>True while the worker may ask the pool for another lease.</summary>
    public bool MayAsk => max is not { } m || Taken < m;

    /// <summary>True once every lease allowed has been taken: the worker asks for no more and stops when their jobs have ended.</summary>
    public bool Spent => !MayAsk;

    /// <summary>
    /// Of <paramref name="offered"/> grants (the pool hands one per free device, so one request can bring more than are left), how
    /// many the worker keeps; the rest it gives back at once. The kept ones are counted.
    /// </summary>
    public int Keep(int offered)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offered);
        var kept = max is { } m ? Math.Min(offered, m - Taken) : offered;
        Taken += kept;
        return kept;
    }
}
