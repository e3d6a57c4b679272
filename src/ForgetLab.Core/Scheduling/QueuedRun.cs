namespace ForgetLab.Core.Scheduling;

/// <summary>A run waiting for devices.</summary>
/// <param name="RunId">Unique run id; the last tie-break within a tenant.</param>
/// <param name="TenantId">Owning tenant.</param>
/// <param name="Priority">Higher goes first within the tenant, after the class.</param>
/// <param name="EnqueuedAt">Among equal priorities, older goes first; gang reservation counts the wait from here.</param>
/// <param name="DevicesNeeded">Devices the run needs on one worker, all at once (≥ 1).</param>
/// <param name="DeviceKind">Required kind (<see cref="Scheduling.DeviceKind"/>), or <see cref="Scheduling.DeviceKind.Any"/>.</param>
/// <param name="Class">Class across tenants; higher goes first within the tenant and weighs in the ordering across tenants.</param>
/// <param name="MemoryBytes">Memory the run needs on each of its devices (device memory, or RAM for a CPU slot); null when not declared.</param>
public sealed record QueuedRun(
    string RunId,
    string TenantId,
    int Priority,
    DateTimeOffset EnqueuedAt,
    int DevicesNeeded = 1,
    string DeviceKind = Scheduling.DeviceKind.Any,
    PriorityClass Class = PriorityClass.Normal,
    long? MemoryBytes = null);
