using System.Runtime.InteropServices;

namespace ForgetLab.Core.Scheduling;

/// <summary>
/// Cooperative preemption as a pure function: which running runs to checkpoint and stop so that
/// waiting runs get devices. A run may be preempted only by a run of a strictly higher class, or by
/// a run of a tenant below its guaranteed devices reclaiming devices lent to a tenant above its own guarantee
/// (never taking that tenant below its guarantee), and then only from a run of no higher class than the
/// reclaiming run's: Kueue's <c>reclaimWithinCohort: LowerPriority</c> bound, widened to equal classes so that
/// lent devices are reclaimed between runs of one class (otherwise a reclaim could take nothing a class preemption
/// could not). Without that bound a high run that preempts a guaranteed tenant's low run is reclaimed from, preempts
/// again, and so on until protection stops both. Victims are chosen to lose the least work: the most
/// recent checkpoint first, then the lowest class; a run preempted <see cref="PreemptionRules.ProtectAfter"/>
/// times in the window is protected. The caller runs <see cref="FairSharePolicy.Decide"/> first: only
/// runs that fit on no free worker preempt.
/// </summary>
public static class PreemptionPolicy
{
    /// <summary>
    /// Up to <see cref="PreemptionRules.MaxPlans"/> plans. Candidates are each tenant's first queued run
    /// (class, priority, age), in order of class, then tenants below their guarantee, then the fair-share
    /// load; each takes the worker (not reserved, suiting it, large enough) whose victims put the fewest
    /// device-hours at risk, then free the fewest devices, then lowest id.
    /// Cost: the common case, where no head could preempt anyone (no running run of a lower class on
    /// devices that suit it, no other tenant lending devices to reclaim), is O(tenants) plus one pass over
    /// the running runs' classes, and it looks at no worker; only heads that could preempt and fit on no free
    /// device cost O(workers + the running runs of the workers looked at) each. A caller that keeps a
    /// <see cref="PoolIndex"/> saves the O(tenants) dictionaries and the pass (the indexed overload).
    /// </summary>
    public static IReadOnlyList<PreemptionPlan> Plan(
        IReadOnlyList<TenantShare> tenants,
        RunQueue queue,
        IReadOnlyList<Allocation> allocations,
        IReadOnlyList<WorkerDevices> workers,
        IReadOnlyList<RunningRun> running,
        IReadOnlyList<GangReservation> reservations,
        DateTimeOffset now,
        PreemptionRules rules)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(allocations);
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(reservations);
        ArgumentNullException.ThrowIfNull(rules);
        var shares = tenants.ToDictionary(t => t.TenantId, t => new PoolIndex.TenantEntry(t), StringComparer.Ordinal);
        var held = allocations.ToDictionary(a => a.TenantId, a => a.Devices, StringComparer.Ordinal);
        string? lender = null; // a tenant lending devices; lenders counts them, so a reclaim needs another one when it is the claimant
        var lenders = 0;
        foreach (var share in tenants)
        {
            shares[share.TenantId].Held = held.GetValueOrDefault(share.TenantId);
            if (share.Quota.Borrowed(held.GetValueOrDefault(share.TenantId)) > 0)
            {
                lender = share.TenantId;
                lenders++;
            }
        }

        return Plan(shares, lender, lenders, new RunningGroups(running, now, rules), queue, workers, reservations, now, rules);
    }

    /// <summary>
    /// The same plans as <see cref="Plan(IReadOnlyList{TenantShare}, RunQueue, IReadOnlyList{Allocation}, IReadOnlyList{WorkerDevices}, IReadOnlyList{RunningRun}, IReadOnlyList{GangReservation}, DateTimeOffset, PreemptionRules)"/>,
    /// with the tenants, allocations and running runs read from an index their owner keeps (<see cref="PoolIndex"/>): whether a head
    /// has a victim of a lower class is read from per-class counts, not a pass over the running runs. The common case, where no head
    /// could preempt anyone, costs O(tenants) and looks at no worker or running run.
    /// </summary>
    public static IReadOnlyList<PreemptionPlan> Plan(
        PoolIndex index,
        RunQueue queue,
        IReadOnlyList<WorkerDevices> workers,
        IReadOnlyList<GangReservation> reservations,
        DateTimeOffset now,
        PreemptionRules rules)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(reservations);
        ArgumentNullException.ThrowIfNull(rules);
        return Plan(index.Tenants, index.SoleBorrower, index.Borrowers, new IndexedRunning(index, now, rules), queue, workers, reservations, now, rules);
    }

    private static List<PreemptionPlan> Plan(
        Dictionary<string, PoolIndex.TenantEntry> shares,
        string? lender,
        int lenders,
        IRunningRuns running,
        RunQueue queue,
        IReadOnlyList<WorkerDevices> workers,
        IReadOnlyList<GangReservation> reservations,
        DateTimeOffset now,
        PreemptionRules rules)
    {
        HashSet<string>? reservedWorkers = null;
        HashSet<string>? reservedRuns = null;
        foreach (var reservation in reservations)
        {
            (reservedWorkers ??= new HashSet<string>(StringComparer.Ordinal)).Add(reservation.WorkerId);
            (reservedRuns ??= new HashSet<string>(StringComparer.Ordinal)).Add(reservation.RunId);
        }

        // Heads that could preempt no one are dropped before any worker is looked at: these cheap necessary
        // conditions only ever shrink as plans are made (victims chosen, lent devices taken, workers held),
        // so a dropped head would have found no victims on any worker, and the plans are the same.
        FreeGroups? free = null;
        var candidates = new List<(QueuedRun Run, TenantShare Share, int Held, bool Reclaims)>();
        foreach (var (tenantId, runs) in queue.ByTenant) // the queue's cached array: walking its sorted dictionary costs more than the rest
        {
            var head = runs.Head!;
            if (reservedRuns is not null && reservedRuns.Contains(head.RunId)) continue;
            var tenant = shares.GetValueOrDefault(tenantId)
                ?? throw new ArgumentException($"Queued runs belong to tenant '{tenantId}', which is not in tenants.", nameof(queue));
            var (share, allocated) = (tenant.Share, tenant.Held);
            if (share.Quota.DeviceHoursExhausted || allocated + head.DevicesNeeded > share.Quota.MaxConcurrentDevices) continue;
            var reclaims = allocated + head.DevicesNeeded <= share.Quota.GuaranteedDevices;
            if (head.Class == PriorityClass.Low && !reclaims) continue;
            var mayReclaim = reclaims && (lenders > 1 || lenders == 1 && lender != tenantId);
            if (!mayReclaim && !running.HasBelow(head)) continue;
            if ((free ??= new FreeGroups(workers, reservedWorkers)).Fits(head)) continue;
            candidates.Add((head, share, allocated, reclaims));
        }

        if (candidates.Count == 0) return [];
        reservedWorkers ??= new HashSet<string>(StringComparer.Ordinal);
        var lent = new Dictionary<string, int>(StringComparer.Ordinal); // borrowed devices still open to reclaim, per tenant
        foreach (var tenant in shares.Values) lent[tenant.Share.TenantId] = tenant.Share.Quota.Borrowed(tenant.Held);
        var runningByWorker = running.ByWorker();
        var chosen = new HashSet<string>(StringComparer.Ordinal);

        candidates.Sort((a, b) =>
        {
            var byClass = b.Run.Class.CompareTo(a.Run.Class);
            if (byClass != 0) return byClass;
            var byReclaim = b.Reclaims.CompareTo(a.Reclaims);
            if (byReclaim != 0) return byReclaim;
            var byLoad = (a.Held / a.Share.Weight).CompareTo(b.Held / b.Share.Weight);
            return byLoad != 0 ? byLoad : string.CompareOrdinal(a.Share.TenantId, b.Share.TenantId);
        });

        var plans = new List<PreemptionPlan>();
        foreach (var (run, share, allocated, reclaims) in candidates)
        {
            if (plans.Count >= rules.MaxPlans) break;
            (WorkerDevices Worker, List<(RunningRun Victim, PreemptionReason Reason)> Victims, double AtRisk, int Freed)? best = null;
            foreach (var worker in workers)
            {
                if (reservedWorkers.Contains(worker.WorkerId) || worker.Total < run.DevicesNeeded || !worker.Suits(run)) continue;
                var victims = VictimsOn(worker, run, share, reclaims, runningByWorker, lent, chosen, now, rules);
                if (victims is null) continue;
                var atRisk = victims.Sum(v => AtRisk(v.Victim, now));
                var freed = victims.Sum(v => v.Victim.Devices);
                if (best is null || atRisk < best.Value.AtRisk || atRisk == best.Value.AtRisk
                    && (freed < best.Value.Freed || freed == best.Value.Freed && string.CompareOrdinal(worker.WorkerId, best.Value.Worker.WorkerId) < 0))
                {
                    best = (worker, victims, atRisk, freed);
                }
            }

            if (best is not { } plan) continue;
            reservedWorkers.Add(plan.Worker.WorkerId);
            var preemptions = new List<Preemption>();
            foreach (var (victim, reason) in plan.Victims)
            {
                chosen.Add(victim.RunId);
                if (reason == PreemptionReason.ReclaimGuarantee) lent[victim.TenantId] -= victim.Devices;
                preemptions.Add(new Preemption(victim.RunId, victim.TenantId, reason, Explain(victim, reason, run, share, allocated)));
            }

            plans.Add(new PreemptionPlan(run.RunId, run.TenantId, plan.Worker.WorkerId, preemptions, plan.AtRisk));
        }

        return plans;
    }

    /// <summary>Device-hours a victim loses if its checkpoint fails and it falls back to its latest one.</summary>
    public static double AtRisk(RunningRun victim, DateTimeOffset now) =>
        now <= victim.LastCheckpointAt ? 0 : victim.Devices * (now - victim.LastCheckpointAt).TotalHours;

    /// <summary>The fewest-loss victims on one worker that, with its free devices, make room for the run; null when they cannot.</summary>
    private static List<(RunningRun Victim, PreemptionReason Reason)>? VictimsOn(
        WorkerDevices worker,
        QueuedRun run,
        TenantShare share,
        bool reclaims,
        Dictionary<string, List<RunningRun>> runningByWorker,
        Dictionary<string, int> lent,
        HashSet<string> chosen,
        DateTimeOffset now,
        PreemptionRules rules)
    {
        var need = run.DevicesNeeded - worker.Free;
        if (need <= 0 || !runningByWorker.TryGetValue(worker.WorkerId, out var here)) return null;

        var eligible = new List<(RunningRun Victim, PreemptionReason Reason)>();
        foreach (var victim in here)
        {
            if (victim.Kind != worker.Kind || victim.MemoryBytes != worker.MemoryBytes || chosen.Contains(victim.RunId) || rules.Protects(victim, now)) continue;
            if (victim.Class < run.Class) eligible.Add((victim, PreemptionReason.HigherClass));
            // A reclaim takes only from runs of the reclaimer's own class (lower ones go for class above): taking a higher
            // class's device would let that run, now queued, take it back for class, and so on (the loop found on the platform).
            else if (reclaims && victim.Class == run.Class && victim.TenantId != share.TenantId && lent.GetValueOrDefault(victim.TenantId) >= victim.Devices)
            {
                eligible.Add((victim, PreemptionReason.ReclaimGuarantee));
            }
        }

        // Most recent checkpoint first (least work at risk), then the lowest class.
        eligible.Sort((a, b) =>
        {
            var byCheckpoint = b.Victim.LastCheckpointAt.CompareTo(a.Victim.LastCheckpointAt);
            if (byCheckpoint != 0) return byCheckpoint;
            var byClass = a.Victim.Class.CompareTo(b.Victim.Class);
            return byClass != 0 ? byClass : string.CompareOrdinal(a.Victim.RunId, b.Victim.RunId);
        });

        var taken = new List<(RunningRun Victim, PreemptionReason Reason)>();
        var lentLeft = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (victim, reason) in eligible)
        {
            if (need <= 0) break;
            if (reason == PreemptionReason.ReclaimGuarantee)
            {
                var left = lentLeft.TryGetValue(victim.TenantId, out var l) ? l : lent.GetValueOrDefault(victim.TenantId);
                if (left < victim.Devices) continue;
                lentLeft[victim.TenantId] = left - victim.Devices;
            }

            taken.Add((victim, reason));
            need -= victim.Devices;
        }

        return need <= 0 ? taken : null;
    }

    /// <summary>What the plan reads of the running runs: whether a head has a victim of a lower class, and the runs per worker.</summary>
    private interface IRunningRuns
    {
        bool HasBelow(QueuedRun head);

        Dictionary<string, List<RunningRun>> ByWorker();
    }

    /// <summary>The running runs as an index keeps them: nothing is built per call.</summary>
    private sealed class IndexedRunning(PoolIndex index, DateTimeOffset now, PreemptionRules rules) : IRunningRuns
    {
        public bool HasBelow(QueuedRun head) => index.HasBelow(head, now, rules);

        public Dictionary<string, List<RunningRun>> ByWorker() => index.RunningByWorker;
    }

    /// <summary>
    /// The lowest class of an unprotected running run, over the whole pool and per kind and memory of its
    /// devices: a head of a class no higher than that of every group that suits it has no victim for its
    /// class anywhere. The pool-wide class comes from one pass that reads only each run's class (and stops at
    /// the first unprotected low run); the groups are built only for a head of a higher class than that. Built from a list per call.
    /// </summary>
    private sealed class RunningGroups : IRunningRuns
    {
        private const int None = (int)PriorityClass.High + 1;
        private readonly IReadOnlyList<RunningRun> _running;
        private readonly DateTimeOffset _now;
        private readonly PreemptionRules _rules;
        private int _lowest = None;
        private bool _passed;
        private Group[]? _groups;
        private int _count;

        public RunningGroups(IReadOnlyList<RunningRun> running, DateTimeOffset now, PreemptionRules rules)
        {
            _running = running;
            _now = now;
            _rules = rules;
        }

        public Dictionary<string, List<RunningRun>> ByWorker() =>
            _running.GroupBy(r => r.WorkerId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        /// <summary>The pool-wide lowest class, in one pass done when a head first asks.</summary>
        private void Pass()
        {
            _passed = true;
            if (_running is List<RunningRun> list)
            {
                foreach (var run in CollectionsMarshal.AsSpan(list))
                {
                    if ((int)run.Class >= _lowest || Protected(run, _now, _rules)) continue;
                    _lowest = (int)run.Class;
                    if (_lowest == (int)PriorityClass.Low) break;
                }
            }
            else
            {
                for (var i = 0; i < _running.Count && _lowest > (int)PriorityClass.Low; i++)
                {
                    var run = _running[i];
                    if ((int)run.Class < _lowest && !Protected(run, _now, _rules)) _lowest = (int)run.Class;
                }
            }
        }

        /// <summary>True when a running run of a lower class than <paramref name="head"/> holds devices of a kind and memory that suit it.</summary>
        public bool HasBelow(QueuedRun head)
        {
            if (!_passed) Pass();
            if ((int)head.Class <= _lowest) return false;
            if (_groups is null)
            {
                _groups = new Group[2];
                for (var i = 0; i < _running.Count; i++) Add(_running[i]);
            }

            for (var i = 0; i < _count; i++)
            {
                ref var group = ref _groups[i];
                if (group.Lowest < head.Class && (head.DeviceKind == DeviceKind.Any || head.DeviceKind == group.Kind)
                    && FreeDeviceIndex.MemoryFits(group.MemoryBytes, head.MemoryBytes))
                {
                    return true;
                }
            }

            return false;
        }

        private void Add(RunningRun run)
        {
            for (var i = 0; i < _count; i++)
            {
                ref var group = ref _groups![i];
                if (group.MemoryBytes == run.MemoryBytes && string.Equals(group.Kind, run.Kind, StringComparison.Ordinal))
                {
                    // Protection is asked only of a run that would lower the group's class: most runs never are.
                    if (run.Class < group.Lowest && !Protected(run, _now, _rules)) group.Lowest = run.Class;
                    return;
                }
            }

            if (Protected(run, _now, _rules)) return;
            if (_count == _groups!.Length) Array.Resize(ref _groups, 2 * _count);
            _groups[_count++] = new Group { Kind = run.Kind, MemoryBytes = run.MemoryBytes, Lowest = run.Class };
        }

        // Protects counts preemptions in the window, so a run preempted fewer than ProtectAfter times is never protected.
        private static bool Protected(RunningRun run, DateTimeOffset now, PreemptionRules rules) =>
            run.PreemptedAt.Count >= rules.ProtectAfter && rules.Protects(run, now);

        private struct Group
        {
            public string Kind;
            public long? MemoryBytes;
            public PriorityClass Lowest;
        }
    }

    /// <summary>The most free devices on one unreserved worker per kind and memory: a head that fits none of those fits on no free worker.</summary>
    private sealed class FreeGroups
    {
        private readonly List<(string Kind, long? MemoryBytes, int MostFree)> _groups = [];

        public FreeGroups(IReadOnlyList<WorkerDevices> workers, HashSet<string>? reserved)
        {
            foreach (var worker in workers)
            {
                if (reserved is not null && reserved.Contains(worker.WorkerId)) continue;
                var i = 0;
                while (i < _groups.Count && !(_groups[i].MemoryBytes == worker.MemoryBytes && string.Equals(_groups[i].Kind, worker.Kind, StringComparison.Ordinal))) i++;
                if (i == _groups.Count) _groups.Add((worker.Kind, worker.MemoryBytes, worker.Free));
                else if (worker.Free > _groups[i].MostFree) _groups[i] = _groups[i] with { MostFree = worker.Free };
            }
        }

        /// <summary>Same as: some unreserved worker suits <paramref name="head"/> and has its devices free.</summary>
        public bool Fits(QueuedRun head)
        {
            foreach (var (kind, memory, mostFree) in _groups)
            {
                if (mostFree >= head.DevicesNeeded && (head.DeviceKind == DeviceKind.Any || head.DeviceKind == kind) && FreeDeviceIndex.MemoryFits(memory, head.MemoryBytes))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static string Explain(RunningRun victim, PreemptionReason reason, QueuedRun run, TenantShare share, int allocated) => reason switch
    {
        PreemptionReason.HigherClass =>
            $"preempted for run '{run.RunId}' of tenant '{run.TenantId}': class {Name(run.Class)} over {Name(victim.Class)}",
        _ =>
            $"preempted for run '{run.RunId}': tenant '{run.TenantId}' holds {allocated} of its {share.Quota.GuaranteedDevices} guaranteed devices and reclaims devices lent to tenant '{victim.TenantId}'",
    };

    private static string Name(PriorityClass priorityClass) => priorityClass.ToString().ToLowerInvariant();
}
