namespace ForgetLab.Core.Scheduling;

/// <summary>A run waiting for devices.</summary>
/// <param name="RunId">Unique run id; the last tie-break within a tenant.</param>
/// <param name="TenantId">Owning tenant.</param>
/// <param name="Priority">Higher goes first within the tenant.</param>
/// <param name="EnqueuedAt">Among equal priorities, older goes first.</param>
/// <param name="DevicesNeeded">Devices the run needs on one worker, all at once (≥ 1).</param>
/// <param name="DeviceKind">Required kind (<see cref="Scheduling.DeviceKind"/>), or <see cref="Scheduling.DeviceKind.Any"/>.</param>
public sealed record QueuedRun(
    string RunId,
    string TenantId,
    int Priority,
    DateTimeOffset EnqueuedAt,
    int DevicesNeeded = 1,
    string DeviceKind = Scheduling.DeviceKind.Any);
