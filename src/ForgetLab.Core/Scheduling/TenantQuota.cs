namespace ForgetLab.Core.Scheduling;

/// <summary>What a tenant may hold: devices at once, and device-hours in total; and what it is guaranteed.</summary>
/// <param name="MaxConcurrentDevices">Devices the tenant may hold at the same time (≥ 0).</param>
/// <param name="DeviceHoursBudget">Device-hours the tenant may spend; <see cref="double.PositiveInfinity"/> for none.</param>
/// <param name="DeviceHoursUsed">Device-hours spent so far, computed by the caller up to its "now".</param>
/// <param name="GuaranteedDevices">
/// Devices the tenant is guaranteed (Kueue's nominal quota). Below it, the tenant goes before every
/// tenant at or above its own guarantee; while it has no work, its guaranteed devices are lent to
/// others, who then hold them as borrowed, and it reclaims them by preemption when its work comes.
/// </param>
public sealed record TenantQuota(int MaxConcurrentDevices, double DeviceHoursBudget, double DeviceHoursUsed, int GuaranteedDevices = 0)
{
    /// <summary>No limit on devices or device-hours, no guarantee.</summary>
    public static TenantQuota Unlimited { get; } = new(int.MaxValue, double.PositiveInfinity, 0);

    /// <summary>True when the budget is spent; such a tenant gets no new device.</summary>
    public bool DeviceHoursExhausted => DeviceHoursUsed >= DeviceHoursBudget;

    /// <summary>Devices of <paramref name="allocated"/> beyond the guarantee: borrowed, and so open to reclaim.</summary>
    public int Borrowed(int allocated) => Math.Max(0, allocated - GuaranteedDevices);
}
