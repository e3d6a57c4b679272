namespace ForgetLab.Core.Scheduling;

/// <summary>What a tenant may hold: devices at once, and device-hours in total.</summary>
/// <param name="MaxConcurrentDevices">Devices the tenant may hold at the same time (≥ 0).</param>
/// <param name="DeviceHoursBudget">Device-hours the tenant may spend; <see cref="double.PositiveInfinity"/> for none.</param>
/// <param name="DeviceHoursUsed">Device-hours spent so far, computed by the caller up to its "now".</param>
public sealed record TenantQuota(int MaxConcurrentDevices, double DeviceHoursBudget, double DeviceHoursUsed)
{
    /// <summary>No limit on devices or device-hours.</summary>
    public static TenantQuota Unlimited { get; } = new(int.MaxValue, double.PositiveInfinity, 0);

    /// <summary>True when the budget is spent; such a tenant gets no new device.</summary>
    public bool DeviceHoursExhausted => DeviceHoursUsed >= DeviceHoursBudget;
}
