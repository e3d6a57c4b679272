using ForgetLab.Core.Scheduling;

namespace ForgetLab.Core.Tests.Scheduling;

/// <summary>
/// Random pools, queues and quotas, checked against the policy's promises by brute force: no device
/// twice, nobody over quota, kinds matched, work-conserving, and every placement went to the least
/// loaded tenant that could place something, with that tenant's first run that fitted.
/// </summary>
public class FairSharePolicyPropertyTests
{
    private static readonly string[] RunKinds = [DeviceKind.Cuda, DeviceKind.Cuda, DeviceKind.Cpu, DeviceKind.Any, "tpu"];
    private static readonly int[] RunSizes = [1, 1, 1, 2, 3, 4, 8];
    private static readonly double[] Weights = [0.5, 1, 1, 2, 3];

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 300)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AnyRandomInputIsPlacedSafelyFairlyAndWithoutIdleDevices(int seed)
    {
        var random = new Random(seed);
        var (tenants, runs, devices, allocations) = RandomInput(random);

        var decision = FairSharePolicy.Decide(tenants, RunQueue.From(runs), devices, allocations);

        var shares = tenants.ToDictionary(t => t.TenantId);
        var runById = runs.ToDictionary(r => r.RunId);
        var kindOf = devices.ToDictionary(d => (d.WorkerId, d.DeviceId), d => d.Kind);
        var held = tenants.ToDictionary(t => t.TenantId, t => allocations.FirstOrDefault(a => a.TenantId == t.TenantId)?.Devices ?? 0);
        var free = devices.ToHashSet();
        var remaining = runs.ToHashSet();
        var dropped = new HashSet<string>();

        foreach (var placement in decision.Placements)
        {
            var run = runById[placement.RunId];
            Assert.True(remaining.Remove(run), $"run {run.RunId} placed twice or never queued");
            Assert.Equal(run.TenantId, placement.TenantId);
            Assert.Equal(run.DevicesNeeded, placement.DeviceIds.Count);
            Assert.Equal(placement.DeviceIds.Count, placement.DeviceIds.Distinct().Count());
            Assert.Single(placement.DeviceIds.Select(id => kindOf[(placement.WorkerId, id)]).Distinct());

            // Fair share: no tenant less loaded (or equally loaded with a smaller id) could have placed a run.
            var share = shares[run.TenantId];
            foreach (var other in tenants.Where(t => Precedes(t, share, held)))
            {
                Assert.Null(FirstFitting(other, held[other.TenantId], remaining, free));
            }

            // Within the tenant: the first run, in priority-then-age order, that fitted.
            Assert.Equal(run, FirstFitting(share, held[share.TenantId], remaining.Append(run), free));

            foreach (var id in placement.DeviceIds)
            {
                var device = new FreeDevice(placement.WorkerId, id, kindOf[(placement.WorkerId, id)]);
                Assert.True(free.Remove(device), $"device {placement.WorkerId}/{id} placed twice");
                Assert.True(run.DeviceKind == DeviceKind.Any || run.DeviceKind == device.Kind);
            }

            held[run.TenantId] += run.DevicesNeeded;
            Assert.True(held[run.TenantId] <= share.Quota.MaxConcurrentDevices, $"{run.TenantId} over its quota");
            Assert.False(share.Quota.DeviceHoursExhausted, $"{run.TenantId} placed with no device-hours left");
        }

        // Work-conserving: nobody waits while one of its runs fits the devices left and its quota.
        foreach (var tenant in tenants)
        {
            Assert.Null(FirstFitting(tenant, held[tenant.TenantId], remaining, free));
        }

        // Every tenant with runs left is reported, with the right count and a reason that holds.
        var expectedWaiting = remaining.GroupBy(r => r.TenantId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expectedWaiting.Keys.Order(StringComparer.Ordinal), decision.Waiting.Select(w => w.TenantId));
        foreach (var waiting in decision.Waiting)
        {
            Assert.Equal(expectedWaiting[waiting.TenantId], waiting.RunsWaiting);
            // The reason is about the tenant's highest-ranked waiting run.
            var quota = shares[waiting.TenantId].Quota;
            var head = remaining.Where(r => r.TenantId == waiting.TenantId)
                .OrderByDescending(r => r.Priority).ThenBy(r => r.EnqueuedAt).ThenBy(r => r.RunId, StringComparer.Ordinal)
                .First();
            var overQuota = held[waiting.TenantId] + head.DevicesNeeded > quota.MaxConcurrentDevices;
            var expectedReason = quota.DeviceHoursExhausted ? WaitReason.OverDeviceHours
                : overQuota ? WaitReason.OverConcurrentQuota
                : WaitReason.NoMatchingDevice;
            Assert.Equal(expectedReason, waiting.Reason);
            if (waiting.Reason == WaitReason.NoMatchingDevice) Assert.False(Fits(head, free));
        }

        // And the same input gives the same decision.
        Assert.Equal(decision, FairSharePolicy.Decide(tenants, RunQueue.From(runs), devices, allocations));
    }

    /// <summary>True when <paramref name="other"/> comes before <paramref name="tenant"/> in the fair-share order now.</summary>
    private static bool Precedes(TenantShare other, TenantShare tenant, Dictionary<string, int> held)
    {
        if (other.TenantId == tenant.TenantId) return false;
        var byLoad = (held[other.TenantId] / other.Weight).CompareTo(held[tenant.TenantId] / tenant.Weight);
        return byLoad < 0 || (byLoad == 0 && string.CompareOrdinal(other.TenantId, tenant.TenantId) < 0);
    }

    /// <summary>The tenant's first run, in priority-then-age order, that it may and can place now; null if none.</summary>
    private static QueuedRun? FirstFitting(TenantShare tenant, int held, IEnumerable<QueuedRun> remaining, HashSet<FreeDevice> free)
    {
        if (tenant.Quota.DeviceHoursExhausted || held >= tenant.Quota.MaxConcurrentDevices) return null;
        return remaining
            .Where(r => r.TenantId == tenant.TenantId)
            .OrderByDescending(r => r.Priority).ThenBy(r => r.EnqueuedAt).ThenBy(r => r.RunId, StringComparer.Ordinal)
            .FirstOrDefault(r => held + r.DevicesNeeded <= tenant.Quota.MaxConcurrentDevices && Fits(r, free));
    }

    private static bool Fits(QueuedRun run, HashSet<FreeDevice> free) =>
        free.Where(d => run.DeviceKind == DeviceKind.Any || d.Kind == run.DeviceKind)
            .GroupBy(d => (d.WorkerId, d.Kind))
            .Any(g => g.Count() >= run.DevicesNeeded);

    private static (List<TenantShare>, List<QueuedRun>, List<FreeDevice>, List<Allocation>) RandomInput(Random random)
    {
        var tenants = Enumerable.Range(0, random.Next(1, 8)).Select(i => new TenantShare(
            $"t{i}",
            Weights[random.Next(Weights.Length)],
            new TenantQuota(
                random.Next(4) == 0 ? int.MaxValue : random.Next(0, 12),
                100,
                random.Next(6) == 0 ? 100 : random.Next(0, 100))))
            .ToList();

        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var runs = Enumerable.Range(0, random.Next(0, 50)).Select(i => new QueuedRun(
            $"r{i}",
            tenants[random.Next(tenants.Count)].TenantId,
            random.Next(0, 3),
            start.AddMinutes(random.Next(0, 20)),  // collisions on purpose: the run id breaks ties
            RunSizes[random.Next(RunSizes.Length)],
            RunKinds[random.Next(RunKinds.Length)]))
            .ToList();

        var devices = new List<FreeDevice>();
        for (var w = 0; w < random.Next(0, 10); w++)
        {
            devices.AddRange(Enumerable.Range(0, random.Next(0, 5)).Select(d => new FreeDevice($"w{w}", $"cuda:{d}", DeviceKind.Cuda)));
            devices.AddRange(Enumerable.Range(0, random.Next(0, 3)).Select(d => new FreeDevice($"w{w}", $"cpu:{d}", DeviceKind.Cpu)));
        }

        var allocations = tenants.Where(_ => random.Next(2) == 0).Select(t => new Allocation(t.TenantId, random.Next(0, 10))).ToList();
        return (tenants, runs, devices, allocations);
    }
}
