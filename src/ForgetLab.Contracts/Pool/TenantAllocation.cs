namespace ForgetLab.Contracts.Pool;

/// <summary>A tenant's standing in the pool: its share, what it holds now and what it has spent.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.TenantAllocation")]
public sealed record TenantAllocation(
    [property: Id(0)] string TenantId,
    [property: Id(1)] double Weight,
    [property: Id(2)] int MaxConcurrentDevices,
    [property: Id(3)] double? DeviceHoursBudget,
    [property: Id(4)] int DevicesHeld,
    [property: Id(5)] double DeviceHoursUsed,
    [property: Id(6)] int RunsQueued)
{
    /// <summary>Devices it is guaranteed (lent to others while it has no work).</summary>
    [Id(7)] public int GuaranteedDevices { get; init; }

    /// <summary>Devices it holds beyond its guarantee: borrowed, and open to reclaim by a tenant below its own guarantee.</summary>
    public int Borrowed => Math.Max(0, DevicesHeld - GuaranteedDevices);
}
