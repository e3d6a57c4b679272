namespace ForgetLab.Core.Scheduling;

/// <summary>
/// Victims on one worker whose devices, with the worker's free ones, fit the run that preempts. The
/// caller tells each victim to checkpoint, holds the worker for <see cref="RunId"/> (a
/// <see cref="GangReservation"/>) and requeues the victims once their leases end.
/// </summary>
/// <param name="RunId">Queued run the devices are freed for.</param>
/// <param name="TenantId">Its tenant.</param>
/// <param name="WorkerId">Worker whose devices are freed.</param>
/// <param name="Victims">Runs to preempt there, in the order chosen.</param>
/// <param name="DeviceHoursAtRisk">Device-hours since the victims' latest checkpoints: what is lost if their checkpoints fail and they fall back.</param>
public sealed record PreemptionPlan(string RunId, string TenantId, string WorkerId, IReadOnlyList<Preemption> Victims, double DeviceHoursAtRisk)
{
    public GangReservation Reservation => new(WorkerId, RunId);
}
