using ForgetLab.Core.Scheduling;

namespace ForgetLab.Core.Tests.Scheduling;

/// <summary>Small builders for scheduling inputs.</summary>
internal static class Pool
{
    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TenantShare Tenant(string id, double weight = 1, int maxDevices = int.MaxValue, double budget = double.PositiveInfinity, double used = 0, int guaranteed = 0) =>
        new(id, weight, new TenantQuota(maxDevices, budget, used, guaranteed));

    public const long GiB = 1L << 30;

    /// <summary>Workers w0…w(n−1), each with <paramref name="perWorker"/> devices "kind:0"….</summary>
    public static List<FreeDevice> Devices(int workers, int perWorker, string kind = DeviceKind.Cuda, string prefix = "w") =>
        Enumerable.Range(0, workers)
            .SelectMany(w => Enumerable.Range(0, perWorker).Select(d => new FreeDevice($"{prefix}{w}", $"{kind}:{d}", kind)))
            .ToList();

    /// <summary>n runs of one tenant, ids "{tenant}-0"…, each enqueued a minute after the last.</summary>
    public static IEnumerable<QueuedRun> Runs(
        string tenant, int n, int devices = 1, string kind = DeviceKind.Any, int priority = 0,
        PriorityClass priorityClass = PriorityClass.Normal, long? memory = null, string? prefix = null) =>
        Enumerable.Range(0, n).Select(i => new QueuedRun($"{prefix ?? tenant}-{i}", tenant, priority, T0.AddMinutes(i), devices, kind, priorityClass, memory));

    /// <summary>Workers with <paramref name="perWorker"/> devices of <paramref name="memory"/> bytes each.</summary>
    public static List<FreeDevice> DevicesWithMemory(int workers, int perWorker, long? memory, string prefix = "w", string kind = DeviceKind.Cuda) =>
        [.. Devices(workers, perWorker, kind, prefix).Select(d => d with { MemoryBytes = memory })];

    public static SchedulingDecision Decide(
        IReadOnlyList<TenantShare> tenants,
        IEnumerable<QueuedRun> runs,
        IReadOnlyList<FreeDevice> devices,
        IReadOnlyList<Allocation>? allocations = null,
        IReadOnlyList<GangReservation>? reservations = null) =>
        FairSharePolicy.Decide(tenants, RunQueue.From(runs), devices, allocations ?? [], reservations);

    /// <summary>Devices placed per tenant (tenants with none are absent).</summary>
    public static Dictionary<string, int> DevicesByTenant(this SchedulingDecision decision) =>
        decision.Placements.GroupBy(p => p.TenantId).ToDictionary(g => g.Key, g => g.Sum(p => p.DeviceIds.Count));
}
