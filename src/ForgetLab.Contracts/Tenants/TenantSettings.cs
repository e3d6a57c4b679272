namespace ForgetLab.Contracts.Tenants;

/// <summary>What a platform admin sets for a tenant: its name, fair-share weight and quotas.</summary>
/// <param name="DisplayName">Shown in the UI.</param>
/// <param name="Weight">Relative share of the pool (&gt; 0).</param>
/// <param name="MaxConcurrentDevices">Devices the tenant may hold at once (≥ 0).</param>
/// <param name="DeviceHoursBudget">Device-hours it may spend in total; null for no limit (kept out of storage as infinity, which JSON cannot hold).</param>
[GenerateSerializer, Immutable, Alias("forgetlab.TenantSettings")]
public sealed record TenantSettings(
    [property: Id(0)] string DisplayName,
    [property: Id(1)] double Weight,
    [property: Id(2)] int MaxConcurrentDevices,
    [property: Id(3)] double? DeviceHoursBudget)
{
    /// <summary>
    /// Devices the tenant is guaranteed (≥ 0, at most <see cref="MaxConcurrentDevices"/>). While it has no work they are lent to
    /// other tenants; when its work comes it reclaims them by preempting borrowers (checkpoint first).
    /// </summary>
    [Id(4)] public int GuaranteedDevices { get; init; }
}
