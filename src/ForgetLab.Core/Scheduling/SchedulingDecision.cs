namespace ForgetLab.Core.Scheduling;

/// <summary>Outcome of one scheduling round.</summary>
/// <param name="Placements">Runs placed, in the order the fair share picked them.</param>
/// <param name="Waiting">Tenants still holding queued runs, ordered by tenant id.</param>
public sealed record SchedulingDecision(IReadOnlyList<Placement> Placements, IReadOnlyList<WaitingTenant> Waiting)
{
    public bool Equals(SchedulingDecision? other) =>
        other is not null && Placements.SequenceEqual(other.Placements) && Waiting.SequenceEqual(other.Waiting);

    public override int GetHashCode() => HashCode.Combine(Placements.Count, Waiting.Count);
}
