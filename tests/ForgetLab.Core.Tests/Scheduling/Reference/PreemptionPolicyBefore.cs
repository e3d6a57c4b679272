using ForgetLab.Core.Scheduling;

namespace ForgetLab.Core.Tests.Scheduling.Reference;

/// <summary>
/// <see cref="PreemptionPolicy.Plan"/> as it was before it was made cheap (main 3688db4), kept as the plain
/// reference the equivalence tests compare the fast and indexed paths with, decision for decision. Changed since only
/// where the policy's rules changed, in the same words: a guarantee reclaim takes only runs of the reclaimer's class
/// (issue 15's preemption loop).
/// </summary>
internal static class PreemptionPolicyBefore
{
    /// <summary>
    /// Up to <see cref="PreemptionRules.MaxPlans"/> plans. Candidates are each tenant's first queued run
    /// (class, priority, age), in order of class, then tenants below their guarantee, then the fair-share
    /// load; each takes the worker (not reserved, suiting it, large enough) whose victims put the fewest
    /// device-hours at risk, then free the fewest devices, then lowest id. Cost: O(tenants · (log tenants
    /// + workers)) plus the running runs of the workers looked at.
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

        var shares = tenants.ToDictionary(t => t.TenantId, StringComparer.Ordinal);
        var held = allocations.ToDictionary(a => a.TenantId, a => a.Devices, StringComparer.Ordinal);
        var reservedWorkers = reservations.Select(r => r.WorkerId).ToHashSet(StringComparer.Ordinal);
        var reservedRuns = reservations.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
        var runningByWorker = running.GroupBy(r => r.WorkerId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var lent = new Dictionary<string, int>(StringComparer.Ordinal); // borrowed devices still open to reclaim, per tenant
        foreach (var share in tenants) lent[share.TenantId] = share.Quota.Borrowed(held.GetValueOrDefault(share.TenantId));
        var chosen = new HashSet<string>(StringComparer.Ordinal);

        var candidates = new List<(QueuedRun Run, TenantShare Share, bool Reclaims)>();
        foreach (var tenantId in queue.Tenants)
        {
            var head = queue.Head(tenantId)!;
            if (reservedRuns.Contains(head.RunId)) continue;
            var share = shares.GetValueOrDefault(tenantId)
                ?? throw new ArgumentException($"Queued runs belong to tenant '{tenantId}', which is not in tenants.", nameof(queue));
            var allocated = held.GetValueOrDefault(tenantId);
            if (share.Quota.DeviceHoursExhausted || allocated + head.DevicesNeeded > share.Quota.MaxConcurrentDevices) continue;
            var reclaims = allocated + head.DevicesNeeded <= share.Quota.GuaranteedDevices;
            if (head.Class == PriorityClass.Low && !reclaims) continue;
            if (workers.Any(w => !reservedWorkers.Contains(w.WorkerId) && w.Suits(head) && w.Free >= head.DevicesNeeded)) continue;
            candidates.Add((head, share, reclaims));
        }

        candidates.Sort((a, b) =>
        {
            var byClass = b.Run.Class.CompareTo(a.Run.Class);
            if (byClass != 0) return byClass;
            var byReclaim = b.Reclaims.CompareTo(a.Reclaims);
            if (byReclaim != 0) return byReclaim;
            var byLoad = (held.GetValueOrDefault(a.Share.TenantId) / a.Share.Weight).CompareTo(held.GetValueOrDefault(b.Share.TenantId) / b.Share.Weight);
            return byLoad != 0 ? byLoad : string.CompareOrdinal(a.Share.TenantId, b.Share.TenantId);
        });

        var plans = new List<PreemptionPlan>();
        foreach (var (run, share, reclaims) in candidates)
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
                preemptions.Add(new Preemption(victim.RunId, victim.TenantId, reason, Explain(victim, reason, run, share, held.GetValueOrDefault(share.TenantId))));
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

    private static string Explain(RunningRun victim, PreemptionReason reason, QueuedRun run, TenantShare share, int allocated) => reason switch
    {
        PreemptionReason.HigherClass =>
            $"preempted for run '{run.RunId}' of tenant '{run.TenantId}': class {Name(run.Class)} over {Name(victim.Class)}",
        _ =>
            $"preempted for run '{run.RunId}': tenant '{run.TenantId}' holds {allocated} of its {share.Quota.GuaranteedDevices} guaranteed devices and reclaims devices lent to tenant '{victim.TenantId}'",
    };

    private static string Name(PriorityClass priorityClass) => priorityClass.ToString().ToLowerInvariant();
}
