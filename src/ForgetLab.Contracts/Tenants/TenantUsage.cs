namespace ForgetLab.Contracts.Tenants;

/// <summary>
/// A tenant's use of the shared pool against its quota, as its members see it: devices held now
/// against the most it may hold at once, and device-hours spent (leases running included) against
/// its budget (null for no limit).
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.TenantUsage")]
public sealed record TenantUsage(
    [property: Id(0)] string TenantId,
    [property: Id(1)] int DevicesInUse,
    [property: Id(2)] int MaxConcurrentDevices,
    [property: Id(3)] double DeviceHoursUsed,
    [property: Id(4)] double? DeviceHoursBudget,
    [property: Id(5)] int RunsQueued);
