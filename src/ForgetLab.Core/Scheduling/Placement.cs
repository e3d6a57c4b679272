namespace ForgetLab.Core.Scheduling;

/// <summary>
/// A run given its devices. All of them are on one worker, because a run is one child process on
/// one worker.
/// </summary>
/// <param name="RunId">Placed run.</param>
/// <param name="TenantId">Its tenant.</param>
/// <param name="WorkerId">Worker that runs it.</param>
/// <param name="DeviceIds">Devices on that worker, as many as the run needs, in ordinal order.</param>
public sealed record Placement(string RunId, string TenantId, string WorkerId, IReadOnlyList<string> DeviceIds)
{
    public bool Equals(Placement? other) =>
        other is not null
        && RunId == other.RunId
        && TenantId == other.TenantId
        && WorkerId == other.WorkerId
        && DeviceIds.SequenceEqual(other.DeviceIds);

    public override int GetHashCode() => HashCode.Combine(RunId, WorkerId, DeviceIds.Count);
}
