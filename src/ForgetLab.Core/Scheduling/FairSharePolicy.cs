using System.Collections.Immutable;

namespace ForgetLab.Core.Scheduling;

/// <summary>
/// The pool's scheduling policy: weighted fair share across tenants, shaded by priority class and
/// guaranteed quota; class, priority then age within a tenant. A pure function of its inputs (no
/// clock, no I/O), so it is tested and simulated at 1,000 workers without Orleans; the pool grain
/// calls it with what it holds.
/// </summary>
public static class FairSharePolicy
{
    /// <summary>
    /// Places queued runs on free devices. Each next placement goes to the tenant that comes first
    /// among tenants with queued work, device-hours left and concurrent quota left: a tenant below its
    /// guaranteed devices before any other, then the lowest allocated / (weight · class weight of its
    /// best fitting run), then ordinal tenant id. That tenant places its first run, in
    /// class-priority-age order, whose devices fit (all on one worker, never partly, each with the
    /// run's memory) and stay within its quota. A tenant none of whose runs fit drops out of the
    /// round, so the round is work-conserving outside reserved workers: no tenant waits while a run of
    /// its could be placed. A reserved worker's devices go only to the run it is reserved for (placed
    /// first, when they suffice); a reservation whose run is gone or whose tenant is at its quota holds
    /// nothing. Cost: O((placements + tenants) · log tenants) heap work, times the few distinct shapes a
    /// tenant's runs have, plus indexing the free devices.
    /// </summary>
    /// <param name="tenants">Every tenant that has queued runs or an allocation; ids unique, weights &gt; 0.</param>
    /// <param name="queue">Queued runs, pre-sorted per tenant.</param>
    /// <param name="freeDevices">Devices free now.</param>
    /// <param name="allocations">Devices each tenant holds now; tenants not listed hold none.</param>
    /// <param name="reservations">Workers held for queued runs (<see cref="GangReservations.Choose"/>), in the order to honour them.</param>
    /// <param name="classWeights">Class weights in the ordering; <see cref="ClassWeights.Default"/> when null.</param>
    public static SchedulingDecision Decide(
        IReadOnlyList<TenantShare> tenants,
        RunQueue queue,
        IReadOnlyList<FreeDevice> freeDevices,
        IReadOnlyList<Allocation> allocations,
        IReadOnlyList<GangReservation>? reservations = null,
        ClassWeights? classWeights = null)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(freeDevices);
        ArgumentNullException.ThrowIfNull(allocations);
        var weights = classWeights ?? ClassWeights.Default;
        weights.Validate();

        var shares = IndexTenants(tenants);
        IndexAllocations(allocations, shares);
        return Decide(shares, queue, freeDevices, reservations, weights);
    }

    /// <summary>
    /// The same decision as <see cref="Decide(IReadOnlyList{TenantShare}, RunQueue, IReadOnlyList{FreeDevice}, IReadOnlyList{Allocation}, IReadOnlyList{GangReservation}?, ClassWeights?)"/>
    /// with the tenants and their allocations read from an index their owner keeps (<see cref="PoolIndex"/>), so a decision does
    /// not rebuild and check them: O(placements + tenants) work over the queue's tenants, with no set-up per tenant.
    /// </summary>
    public static SchedulingDecision Decide(
        PoolIndex index,
        RunQueue queue,
        IReadOnlyList<FreeDevice> freeDevices,
        IReadOnlyList<GangReservation>? reservations = null,
        ClassWeights? classWeights = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(freeDevices);
        var weights = classWeights ?? ClassWeights.Default;
        weights.Validate();
        return Decide(index.Tenants, queue, freeDevices, reservations, weights);
    }

    /// <summary>One round; <paramref name="shares"/> is read, never changed (devices placed on reserved workers are counted beside it).</summary>
    private static SchedulingDecision Decide(
        Dictionary<string, PoolIndex.TenantEntry> shares,
        RunQueue queue,
        IReadOnlyList<FreeDevice> freeDevices,
        IReadOnlyList<GangReservation>? reservations,
        ClassWeights weights)
    {
        Dictionary<string, int>? placedOnReserved = null;
        int Held(PoolIndex.TenantEntry tenant) => tenant.Held + (placedOnReserved?.GetValueOrDefault(tenant.Share.TenantId) ?? 0);

        // Reservations that can hold: the run is queued and its tenant could ever take it (device-hours left, quota at least its
        // size). A tenant whose running runs leave too little quota for its reserved run drains its quota as the worker drains:
        // none of its other runs starts this round, so its held devices only fall until the gang fits. Otherwise each device its
        // runs free would go to its next small run, and the gang would wait for the tenant's whole queue of small runs.
        List<(GangReservation Reservation, QueuedRun Run)>? holding = null;
        HashSet<string>? withheld = null;
        HashSet<string>? drainingQuota = null;
        foreach (var reservation in reservations ?? [])
        {
            ArgumentNullException.ThrowIfNull(reservation);
            if (queue.Find(reservation.RunId) is not { } run || withheld?.Contains(reservation.WorkerId) == true) continue;
            var tenant = shares.GetValueOrDefault(run.TenantId)
                ?? throw new ArgumentException($"Queued runs belong to tenant '{run.TenantId}', which is not in tenants.", nameof(queue));
            if (tenant.Share.Quota.DeviceHoursExhausted || run.DevicesNeeded > tenant.Share.Quota.MaxConcurrentDevices) continue;
            if (Held(tenant) + run.DevicesNeeded > tenant.Share.Quota.MaxConcurrentDevices)
                (drainingQuota ??= new HashSet<string>(StringComparer.Ordinal)).Add(run.TenantId);
            (holding ??= []).Add((reservation, run));
            (withheld ??= new HashSet<string>(StringComparer.Ordinal)).Add(reservation.WorkerId);
        }

        var devices = new FreeDeviceIndex(freeDevices, withheld);
        var placements = new List<Placement>();
        HashSet<string>? placedFirst = null;
        HashSet<string>? reservedWaiting = null;
        foreach (var (reservation, run) in holding ?? [])
        {
            if (Held(shares[run.TenantId]) + run.DevicesNeeded > shares[run.TenantId].Share.Quota.MaxConcurrentDevices
                || devices.TakeWithheld(reservation.WorkerId, run.DeviceKind, run.DevicesNeeded, run.MemoryBytes) is not { } ids)
            {
                (reservedWaiting ??= new HashSet<string>(StringComparer.Ordinal)).Add(run.RunId);
                continue;
            }

            placements.Add(new Placement(run.RunId, run.TenantId, reservation.WorkerId, ids));
            placedOnReserved ??= new Dictionary<string, int>(StringComparer.Ordinal);
            placedOnReserved[run.TenantId] = placedOnReserved.GetValueOrDefault(run.TenantId) + run.DevicesNeeded;
            (placedFirst ??= new HashSet<string>(StringComparer.Ordinal)).Add(run.RunId);
        }

        // Waiting tenants go into their slot of the queue's (ordinal) tenant order, so no sort is needed. A tenant's round is
        // built when it first comes out of the heap: in a small decision most tenants never do, and wait for the reason their
        // first run gives.
        var count = queue.TenantCount;
        var waiting = new WaitingTenant?[count];
        var seeds = new TenantSeed[count];
        var rounds = new TenantRound?[count];
        var contenders = new PriorityQueue<int, TenantKey>(count, TenantKey.Order);
        var slot = 0;
        foreach (var (tenantId, runs) in queue.ByTenant)
        {
            if (!shares.TryGetValue(tenantId, out var tenant))
            {
                throw new ArgumentException($"Queued runs belong to tenant '{tenantId}', which is not in tenants.", nameof(queue));
            }

            var share = tenant.Share;
            var at = slot++;
            var allocated = Held(tenant);
            var remaining = runs.Count;
            if (placedFirst is not null)
            {
                var round = rounds[at] = new TenantRound(at, share, allocated, runs, weights, placedFirst, reservedWaiting);
                remaining = round.Remaining;
            }

            if (remaining == 0)
            {
                continue;
            }

            if (share.Quota.DeviceHoursExhausted)
            {
                waiting[at] = new WaitingTenant(tenantId, WaitReason.OverDeviceHours, remaining);
            }
            else if (drainingQuota?.Contains(tenantId) == true)
            {
                waiting[at] = new WaitingTenant(tenantId, WaitReason.WaitingForReservedWorker, remaining);
            }
            else if (allocated >= share.Quota.MaxConcurrentDevices)
            {
                waiting[at] = new WaitingTenant(tenantId, WaitReason.OverConcurrentQuota, remaining);
            }
            else
            {
                seeds[at] = new TenantSeed(share, allocated, runs);
                contenders.Enqueue(at, TenantKey.For(share, allocated, weights.Of(runs.Head!.Class)));
            }
        }

        while (devices.Count > 0 && contenders.TryDequeue(out var at, out var key))
        {
            var tenant = rounds[at] ??= new TenantRound(at, seeds[at].Share, seeds[at].Allocated, seeds[at].Runs, weights, placedFirst, reservedWaiting);
            var cursor = tenant.BestFitting(devices);
            if (cursor is null)
            {
                waiting[at] = tenant.Waiting();
                continue;
            }

            var run = cursor.Current;

            // The key assumed the tenant's best run; the best fitting one may be of a lower class, and
            // then the tenant goes back in line with its true key (keys only grow, so this ends).
            var actual = tenant.KeyFor(run.Class);
            if (TenantKey.Order.Compare(actual, key) > 0 && contenders.TryPeek(out _, out var next) && TenantKey.Order.Compare(actual, next) > 0)
            {
                contenders.Enqueue(at, actual);
                continue;
            }

            var (workerId, deviceIds) = devices.Take(run.DeviceKind, run.DevicesNeeded, run.MemoryBytes)!.Value;
            placements.Add(new Placement(run.RunId, run.TenantId, workerId, deviceIds));
            tenant.Placed(cursor);
            if (tenant.Remaining == 0)
            {
                continue;
            }

            if (tenant.Allocated >= tenant.Share.Quota.MaxConcurrentDevices)
            {
                waiting[at] = new WaitingTenant(tenant.Share.TenantId, WaitReason.OverConcurrentQuota, tenant.Remaining);
            }
            else
            {
                contenders.Enqueue(at, tenant.KeyFor(tenant.HeadClass));
            }
        }

        // The pool ran dry with tenants still contending; their order no longer matters.
        foreach (var (at, _) in contenders.UnorderedItems)
        {
            waiting[at] = rounds[at]?.Waiting() ?? seeds[at].Waiting(reservedWaiting);
        }

        var waitingTenants = new List<WaitingTenant>(waiting.Length);
        foreach (var tenant in waiting)
        {
            if (tenant is not null) waitingTenants.Add(tenant);
        }

        return new SchedulingDecision(placements, waitingTenants);
    }

    private static Dictionary<string, PoolIndex.TenantEntry> IndexTenants(IReadOnlyList<TenantShare> tenants)
    {
        var shares = new Dictionary<string, PoolIndex.TenantEntry>(tenants.Count, StringComparer.Ordinal);
        foreach (var share in tenants)
        {
            PoolIndex.Validate(share);
            if (!shares.TryAdd(share.TenantId, new PoolIndex.TenantEntry(share)))
            {
                throw new ArgumentException($"Tenant '{share.TenantId}' is listed twice.", nameof(tenants));
            }
        }

        return shares;
    }

    private static void IndexAllocations(IReadOnlyList<Allocation> allocations, Dictionary<string, PoolIndex.TenantEntry> shares)
    {
        var held = new HashSet<string>(allocations.Count, StringComparer.Ordinal);
        foreach (var allocation in allocations)
        {
            ArgumentNullException.ThrowIfNull(allocation);
            if (!shares.TryGetValue(allocation.TenantId, out var tenant))
            {
                throw new ArgumentException($"Allocation for tenant '{allocation.TenantId}', which is not in tenants.", nameof(allocations));
            }

            if (allocation.Devices < 0)
            {
                throw new ArgumentException($"Tenant '{allocation.TenantId}': allocated devices must be ≥ 0, got {allocation.Devices}.", nameof(allocations));
            }

            if (!held.Add(allocation.TenantId))
            {
                throw new ArgumentException($"Tenant '{allocation.TenantId}' has two allocations.", nameof(allocations));
            }

            tenant.Held = allocation.Devices;
        }
    }

    /// <summary>A tenant's place in line: below its guarantee first, then lowest class-weighted load, then tenant id.</summary>
    private readonly record struct TenantKey(int Tier, double Load, string TenantId)
    {
        public static readonly KeyOrder Order = new();

        public static TenantKey For(TenantShare share, int allocated, double classWeight) => new(
            allocated < share.Quota.GuaranteedDevices ? 0 : 1,
            allocated / (share.Weight * classWeight),
            share.TenantId);

        public sealed class KeyOrder : IComparer<TenantKey>
        {
            public int Compare(TenantKey a, TenantKey b)
            {
                var byTier = a.Tier.CompareTo(b.Tier);
                if (byTier != 0) return byTier;
                var byLoad = a.Load.CompareTo(b.Load);
                return byLoad != 0 ? byLoad : string.CompareOrdinal(a.TenantId, b.TenantId);
            }
        }
    }

    /// <summary>What a contending tenant starts its round with, before its round is built.</summary>
    private readonly record struct TenantSeed(TenantShare Share, int Allocated, RunQueue.TenantRuns Runs)
    {
        /// <summary>Why the tenant waits when it never came out of the heap (no run placed on a reserved worker): its first run says.</summary>
        public WaitingTenant Waiting(HashSet<string>? reservedWaiting)
        {
            var head = Runs.Head!;
            var reason = Allocated + head.DevicesNeeded > Share.Quota.MaxConcurrentDevices ? WaitReason.OverConcurrentQuota
                : reservedWaiting?.Contains(head.RunId) == true ? WaitReason.WaitingForReservedWorker
                : WaitReason.NoMatchingDevice;
            return new WaitingTenant(Share.TenantId, reason, Runs.Count);
        }
    }

    /// <summary>One tenant's state during a round: what it holds and where it is in each shape's queue.</summary>
    private sealed class TenantRound
    {
        private readonly RunQueue.TenantRuns _runs;
        private readonly ClassWeights _weights;
        private readonly HashSet<string>? _placedFirst;  // runs placed on their reserved worker before the round
        private readonly HashSet<string>? _reservedWaiting;
        private List<ShapeCursor>? _shapes;  // built when the tenant first contends; most tenants in a small round never do
        private List<ShapeCursor>? _unfit;

        public TenantRound(int slot, TenantShare share, int allocated, RunQueue.TenantRuns runs, ClassWeights weights, HashSet<string>? placedFirst, HashSet<string>? reservedWaiting)
        {
            Slot = slot;
            Share = share;
            Allocated = allocated;
            _runs = runs;
            _weights = weights;
            _placedFirst = placedFirst;
            _reservedWaiting = reservedWaiting;
            Remaining = runs.Count;
            if (placedFirst is not null)
            {
                foreach (var (_, set) in runs.ShapeArray) Remaining -= set.Count(run => placedFirst.Contains(run.RunId));
            }
        }

        /// <summary>Position of the tenant in the queue's ordinal tenant order.</summary>
        public int Slot { get; }

        public TenantShare Share { get; }

        public int Allocated { get; private set; }

        public int Remaining { get; private set; }

        /// <summary>Class of the tenant's best remaining run of any shape (the shapes still in the round, once it contended).</summary>
        public PriorityClass HeadClass
        {
            get
            {
                if (_shapes is null) return _runs.Head!.Class;
                QueuedRun? head = null;
                foreach (var cursor in _shapes) head = cursor.Exhausted ? head : First(head, cursor.Current);
                return head?.Class ?? PriorityClass.Low;
            }
        }

        public TenantKey KeyFor(PriorityClass priorityClass) => TenantKey.For(Share, Allocated, _weights.Of(priorityClass));

        /// <summary>
        /// The shape whose next run comes first in class-priority-age order among those that fit the
        /// free devices and the quota. Shapes that no longer fit are dropped for the rest of the round.
        /// </summary>
        public ShapeCursor? BestFitting(FreeDeviceIndex devices)
        {
            _shapes ??= [.. _runs.ShapeArray.Select(pair => new ShapeCursor(pair.Key, pair.Value, _placedFirst))];
            ShapeCursor? best = null;
            for (var i = _shapes.Count - 1; i >= 0; i--)
            {
                var cursor = _shapes[i];
                if (cursor.Exhausted || Allocated + cursor.Shape.Devices > Share.Quota.MaxConcurrentDevices)
                {
                    continue;
                }

                if (!devices.Fits(cursor.Shape.Kind, cursor.Shape.Devices, cursor.Shape.MemoryBytes))
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
            if (_shapes is null && _placedFirst is null)
            {
                head = _runs.Head;
            }
            else
            {
                _shapes ??= [.. _runs.ShapeArray.Select(pair => new ShapeCursor(pair.Key, pair.Value, _placedFirst))];
                foreach (var cursor in _shapes) head = cursor.Exhausted ? head : First(head, cursor.Current);
                foreach (var cursor in _unfit ?? []) head = cursor.Exhausted ? head : First(head, cursor.Current);
            }

            var reason = Allocated + head!.DevicesNeeded > Share.Quota.MaxConcurrentDevices ? WaitReason.OverConcurrentQuota
                : _reservedWaiting?.Contains(head.RunId) == true ? WaitReason.WaitingForReservedWorker
                : WaitReason.NoMatchingDevice;
            return new WaitingTenant(Share.TenantId, reason, Remaining);
        }

        private static QueuedRun? First(QueuedRun? a, QueuedRun? b) =>
            a is null ? b : b is null ? a : RunOrder.Instance.Compare(a, b) <= 0 ? a : b;
    }

    /// <summary>Position in one shape's sorted runs; runs before it were placed this round (or on their reserved worker before it).</summary>
    private sealed class ShapeCursor
    {
        private readonly ImmutableSortedSet<QueuedRun> _runs;
        private readonly HashSet<string>? _skip;
        private int _next;

        public ShapeCursor(RunShape shape, ImmutableSortedSet<QueuedRun> runs, HashSet<string>? skip)
        {
            Shape = shape;
            _runs = runs;
            _skip = skip;
            Skip();
        }

        public RunShape Shape { get; }

        public bool Exhausted => _next >= _runs.Count;

        public QueuedRun Current => _runs[_next];

        public void Advance()
        {
            _next++;
            Skip();
        }

        private void Skip()
        {
            while (_skip is not null && _next < _runs.Count && _skip.Contains(_runs[_next].RunId)) _next++;
        }
    }
}
