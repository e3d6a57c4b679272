using System.Collections.Immutable;

namespace ForgetLab.Core.Scheduling;

/// <summary>
/// The pool's scheduling policy: weighted fair share across tenants, priority then age within a
/// tenant. A pure function of its inputs (no clock, no I/O), so it is tested and simulated at
/// 1,000 workers without Orleans; the pool grain calls it with what it holds.
/// </summary>
public static class FairSharePolicy
{
    /// <summary>
    /// Places queued runs on free devices. Each next placement goes to the tenant with the lowest
    /// allocated/weight (ties: ordinal tenant id) among tenants with queued work, device-hours left
    /// and concurrent quota left; that tenant places its first run, in priority-then-age order,
    /// whose devices fit (all on one worker, never partly) and stay within its quota. A tenant none
    /// of whose runs fit drops out of the round, so the round is work-conserving: no tenant waits
    /// while a run of its could be placed. Cost: O((placements + tenants) · log tenants) heap work,
    /// times the few distinct shapes a tenant's runs have, plus indexing the free devices.
    /// </summary>
    /// <param name="tenants">Every tenant that has queued runs or an allocation; ids unique, weights &gt; 0.</param>
    /// <param name="queue">Queued runs, pre-sorted per tenant.</param>
    /// <param name="freeDevices">Devices free now.</param>
    /// <param name="allocations">Devices each tenant holds now; tenants not listed hold none.</param>
    public static SchedulingDecision Decide(
        IReadOnlyList<TenantShare> tenants,
        RunQueue queue,
        IReadOnlyList<FreeDevice> freeDevices,
        IReadOnlyList<Allocation> allocations)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(freeDevices);
        ArgumentNullException.ThrowIfNull(allocations);

        var shares = IndexTenants(tenants);
        var held = IndexAllocations(allocations, shares);
        var devices = new FreeDeviceIndex(freeDevices);

        var placements = new List<Placement>();
        var waiting = new List<WaitingTenant>();
        var contenders = new PriorityQueue<TenantRound, TenantRound>(TenantRound.ByLoad);
        foreach (var (tenantId, runs) in queue.ByTenant)
        {
            if (!shares.TryGetValue(tenantId, out var share))
            {
                throw new ArgumentException($"Queued runs belong to tenant '{tenantId}', which is not in tenants.", nameof(queue));
            }

            var round = new TenantRound(share, held.GetValueOrDefault(tenantId), runs);
            if (share.Quota.DeviceHoursExhausted)
            {
                waiting.Add(new WaitingTenant(tenantId, WaitReason.OverDeviceHours, round.Remaining));
            }
            else if (round.Allocated >= share.Quota.MaxConcurrentDevices)
            {
                waiting.Add(new WaitingTenant(tenantId, WaitReason.OverConcurrentQuota, round.Remaining));
            }
            else
            {
                contenders.Enqueue(round, round);
            }
        }

        while (devices.Count > 0 && contenders.TryDequeue(out var tenant, out _))
        {
            var cursor = tenant.BestFitting(devices);
            if (cursor is null)
            {
                waiting.Add(tenant.Waiting());
                continue;
            }

            var run = cursor.Current;
            var (workerId, deviceIds) = devices.Take(run.DeviceKind, run.DevicesNeeded)!.Value;
            placements.Add(new Placement(run.RunId, run.TenantId, workerId, deviceIds));
            tenant.Placed(cursor);
            if (tenant.Remaining == 0)
            {
                continue;
            }

            if (tenant.Allocated >= tenant.Share.Quota.MaxConcurrentDevices)
            {
                waiting.Add(new WaitingTenant(tenant.Share.TenantId, WaitReason.OverConcurrentQuota, tenant.Remaining));
            }
            else
            {
                contenders.Enqueue(tenant, tenant);
            }
        }

        // The pool ran dry with tenants still contending.
        while (contenders.TryDequeue(out var tenant, out _))
        {
            waiting.Add(tenant.Waiting());
        }

        waiting.Sort((a, b) => string.CompareOrdinal(a.TenantId, b.TenantId));
        return new SchedulingDecision(placements, waiting);
    }

    private static Dictionary<string, TenantShare> IndexTenants(IReadOnlyList<TenantShare> tenants)
    {
        var shares = new Dictionary<string, TenantShare>(tenants.Count, StringComparer.Ordinal);
        foreach (var share in tenants)
        {
            ArgumentNullException.ThrowIfNull(share);
            ArgumentNullException.ThrowIfNull(share.Quota);
            if (string.IsNullOrEmpty(share.TenantId)) throw new ArgumentException("A tenant share needs a tenant id.", nameof(tenants));
            if (!(share.Weight > 0) || !double.IsFinite(share.Weight))
            {
                throw new ArgumentException($"Tenant '{share.TenantId}': weight must be a finite number > 0, got {share.Weight}.", nameof(tenants));
            }

            if (share.Quota.MaxConcurrentDevices < 0)
            {
                throw new ArgumentException($"Tenant '{share.TenantId}': quota.maxConcurrentDevices must be ≥ 0, got {share.Quota.MaxConcurrentDevices}.", nameof(tenants));
            }

            if (double.IsNaN(share.Quota.DeviceHoursBudget) || double.IsNaN(share.Quota.DeviceHoursUsed))
            {
                throw new ArgumentException($"Tenant '{share.TenantId}': quota device-hours must be numbers.", nameof(tenants));
            }

            if (!shares.TryAdd(share.TenantId, share))
            {
                throw new ArgumentException($"Tenant '{share.TenantId}' is listed twice.", nameof(tenants));
            }
        }

        return shares;
    }

    private static Dictionary<string, int> IndexAllocations(IReadOnlyList<Allocation> allocations, Dictionary<string, TenantShare> shares)
    {
        var held = new Dictionary<string, int>(allocations.Count, StringComparer.Ordinal);
        foreach (var allocation in allocations)
        {
            ArgumentNullException.ThrowIfNull(allocation);
            if (!shares.ContainsKey(allocation.TenantId))
            {
                throw new ArgumentException($"Allocation for tenant '{allocation.TenantId}', which is not in tenants.", nameof(allocations));
            }

            if (allocation.Devices < 0)
            {
                throw new ArgumentException($"Tenant '{allocation.TenantId}': allocated devices must be ≥ 0, got {allocation.Devices}.", nameof(allocations));
            }

            if (!held.TryAdd(allocation.TenantId, allocation.Devices))
            {
                throw new ArgumentException($"Tenant '{allocation.TenantId}' has two allocations.", nameof(allocations));
            }
        }

        return held;
    }

    /// <summary>One tenant's state during a round: what it holds and where it is in each shape's queue.</summary>
    private sealed class TenantRound
    {
        /// <summary>Lowest allocated/weight first; ties by ordinal tenant id, so rounds are deterministic.</summary>
        public static readonly IComparer<TenantRound> ByLoad = Comparer<TenantRound>.Create((a, b) =>
        {
            var byLoad = (a.Allocated / a.Share.Weight).CompareTo(b.Allocated / b.Share.Weight);
            return byLoad != 0 ? byLoad : string.CompareOrdinal(a.Share.TenantId, b.Share.TenantId);
        });

        private readonly RunQueue.TenantRuns _runs;
        private List<ShapeCursor>? _shapes;  // built when the tenant first contends; most tenants in a small round never do
        private List<ShapeCursor>? _unfit;

        public TenantRound(TenantShare share, int allocated, RunQueue.TenantRuns runs)
        {
            Share = share;
            Allocated = allocated;
            Remaining = runs.Count;
            _runs = runs;
        }

        public TenantShare Share { get; }

        public int Allocated { get; private set; }

        public int Remaining { get; private set; }

        /// <summary>
        /// The shape whose next run comes first in priority-then-age order among those that fit the
        /// free devices and the quota. Shapes that no longer fit are dropped for the rest of the round.
        /// </summary>
        public ShapeCursor? BestFitting(FreeDeviceIndex devices)
        {
            _shapes ??= [.. _runs.ShapeArray.Select(pair => new ShapeCursor(pair.Key, pair.Value))];
            ShapeCursor? best = null;
            for (var i = _shapes.Count - 1; i >= 0; i--)
            {
                var cursor = _shapes[i];
                if (cursor.Exhausted || Allocated + cursor.Shape.Devices > Share.Quota.MaxConcurrentDevices)
                {
                    continue;
                }

                if (!devices.Fits(cursor.Shape.Kind, cursor.Shape.Devices))
                {
                    _shapes[i] = _shapes[^1];
                    _shapes.RemoveAt(_shapes.Count - 1);
                    _unfit ??= [];
                    _unfit.Add(cursor);
                    continue;
                }

                if (best is null || RunOrder.Instance.Compare(cursor.Current, best.Current) < 0)
                {
                    best = cursor;
                }
            }

            return best;
        }

        public void Placed(ShapeCursor cursor)
        {
            Allocated += cursor.Shape.Devices;
            Remaining--;
            cursor.Advance();
        }

        /// <summary>Why the tenant's highest-ranked remaining run waits.</summary>
        public WaitingTenant Waiting()
        {
            QueuedRun? head = null;
            if (_shapes is null)
            {
                foreach (var (_, runs) in _runs.ShapeArray) head = First(head, runs.Min);
            }
            else
            {
                foreach (var cursor in _shapes) head = cursor.Exhausted ? head : First(head, cursor.Current);
                foreach (var cursor in _unfit ?? []) head = cursor.Exhausted ? head : First(head, cursor.Current);
            }

            var reason = Allocated + head!.DevicesNeeded > Share.Quota.MaxConcurrentDevices
                ? WaitReason.OverConcurrentQuota
                : WaitReason.NoMatchingDevice;
            return new WaitingTenant(Share.TenantId, reason, Remaining);
        }

        private static QueuedRun? First(QueuedRun? a, QueuedRun? b) =>
            a is null ? b : b is null ? a : RunOrder.Instance.Compare(a, b) <= 0 ? a : b;
    }

    /// <summary>Position in one shape's sorted runs; runs before it were placed this round.</summary>
    private sealed class ShapeCursor(RunShape shape, ImmutableSortedSet<QueuedRun> runs)
    {
        private int _next;

        public RunShape Shape { get; } = shape;

        public bool Exhausted => _next >= runs.Count;

        public QueuedRun Current => runs[_next];

        public void Advance() => _next++;
    }
}
