using ForgetLab.Core.Scheduling;
using static ForgetLab.Core.Tests.Scheduling.Pool;

namespace ForgetLab.Core.Tests.Scheduling;

/// <summary>
/// A guarantee reclaim takes only runs of the reclaimer's class. Without that rule, the platform's screenshot run
/// (docs/dashboard.md) looped: gamma's high run preempted alpha's low run for class, alpha, below its guarantee, reclaimed its
/// device from gamma's high run, and so on, until the "3 in 6 hours" protection left both alone.
/// </summary>
public class PreemptionLoopTests
{
    private static readonly DateTimeOffset Now = T0.AddHours(10);

    [Fact]
    public void AReclaimNeverTakesARunOfAHigherClassThanTheReclaimingRun()
    {
        // alpha is guaranteed 1 and holds none; gamma holds 1 device with no guarantee, so all of it is lent.
        TenantShare[] tenants = [Tenant("alpha", guaranteed: 1), Tenant("gamma")];
        WorkerDevices[] workers = [new("w0", DeviceKind.Cuda, 1, 0)];

        foreach (var reclaimer in new[] { PriorityClass.Low, PriorityClass.Normal })
        {
            var higher = reclaimer + 1;
            Assert.Empty(Plan(tenants, Runs("alpha", 1, kind: DeviceKind.Cuda, priorityClass: reclaimer), [Running("g", "gamma", higher)], workers));

            var plan = Assert.Single(Plan(tenants, Runs("alpha", 1, kind: DeviceKind.Cuda, priorityClass: reclaimer), [Running("g", "gamma", reclaimer)], workers));
            Assert.Equal(("g", PreemptionReason.ReclaimGuarantee), (Assert.Single(plan.Victims).RunId, Assert.Single(plan.Victims).Reason));
        }
    }

    [Fact]
    public void TheScreenshotRunsPreemptionsEndAfterThreeAndNoRunIsPreemptedTwice()
    {
        // As tools/screenshots/take.sh pool ran it: two one-device workers, every tenant at most 2 devices; beta's two low runs hold
        // both; alpha (guaranteed 1) submits a low run, then gamma a high one. Each step places what fits, then plans, and a victim
        // checkpoints at once: its devices go to the run they were freed for, and it is queued again.
        var tenants = new List<TenantShare> { Tenant("alpha", maxDevices: 2, guaranteed: 1), Tenant("beta", maxDevices: 2), Tenant("gamma", maxDevices: 2) };
        var pool = new SmallPool(tenants, ["w1", "w2"]);
        pool.Start(Run("beta-1", "beta", PriorityClass.Low), "w1", Now.AddMinutes(-10));
        pool.Start(Run("beta-2", "beta", PriorityClass.Low), "w2", Now.AddMinutes(-9));

        var log = new List<string>();
        for (var step = 0; step < 30; step++)
        {
            var now = Now.AddSeconds(5 * step);
            if (step == 1) pool.Queue(Run("alpha-0", "alpha", PriorityClass.Low, now));
            if (step == 4) pool.Queue(Run("gamma-0", "gamma", PriorityClass.High, now));
            log.AddRange(pool.Step(now));
        }

        Assert.Equal(
            [
                "beta-2 reclaim_guarantee for alpha-0",
                "alpha-0 higher_class for gamma-0",
                "beta-1 reclaim_guarantee for alpha-0",
            ],
            log);
        Assert.Equal(("w2", "w1"), (pool.WorkerOf("gamma-0"), pool.WorkerOf("alpha-0")));
        Assert.True(log.GroupBy(l => l.Split(' ')[0]).All(g => g.Count() == 1), string.Join("\n", log));
    }

    private static QueuedRun Run(string id, string tenant, PriorityClass priorityClass, DateTimeOffset? at = null) =>
        new(id, tenant, 0, at ?? Now, 1, DeviceKind.Cuda, priorityClass);

    private static RunningRun Running(string id, string tenant, PriorityClass cls) =>
        new(id, tenant, cls, "w0", DeviceKind.Cuda, 1, Now.AddHours(-1), []);

    private static IReadOnlyList<PreemptionPlan> Plan(TenantShare[] tenants, IEnumerable<QueuedRun> queued, RunningRun[] running, WorkerDevices[] workers) =>
        PreemptionPolicy.Plan(tenants, RunQueue.From(queued), [.. running.GroupBy(r => r.TenantId).Select(g => new Allocation(g.Key, g.Sum(r => r.Devices)))],
            workers, running, [], Now, PreemptionRules.Default);

    /// <summary>One-device workers driven as the pool grain drives them: place, plan, end the victims at once, hold the freed worker.</summary>
    private sealed class SmallPool(List<TenantShare> tenants, string[] workers)
    {
        private readonly Dictionary<string, (QueuedRun Run, string Worker, DateTimeOffset Started)> _running = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<DateTimeOffset>> _preemptedAt = new(StringComparer.Ordinal);
        private readonly List<GangReservation> _holds = [];
        private RunQueue _queue = RunQueue.Empty;

        public void Queue(QueuedRun run) => _queue = _queue.Add(run);

        public void Start(QueuedRun run, string worker, DateTimeOffset at) => _running[run.RunId] = (run, worker, at);

        public string? WorkerOf(string runId) => _running.TryGetValue(runId, out var r) ? r.Worker : null;

        public List<string> Step(DateTimeOffset now)
        {
            var busy = _running.Values.Select(r => r.Worker).ToHashSet(StringComparer.Ordinal);
            var free = workers.Where(w => !busy.Contains(w)).Select(w => new FreeDevice(w, "cuda:0", DeviceKind.Cuda)).ToList();
            var decision = FairSharePolicy.Decide(tenants, _queue, free, Allocations(), _holds);
            foreach (var placement in decision.Placements)
            {
                Start(_queue.Find(placement.RunId)!, placement.WorkerId, now);
                _queue = _queue.Remove(placement.RunId);
                _holds.RemoveAll(h => h.RunId == placement.RunId);
            }

            var view = workers.Select(w => new WorkerDevices(w, DeviceKind.Cuda, 1, _running.Values.Any(r => r.Worker == w) ? 0 : 1)).ToList();
            // A run's latest checkpoint is its start: a run that just started has the least at risk, as on the platform.
            var running = _running.Values.Select(r => new RunningRun(r.Run.RunId, r.Run.TenantId, r.Run.Class, r.Worker, DeviceKind.Cuda, 1, r.Started,
                _preemptedAt.GetValueOrDefault(r.Run.RunId) ?? [])).ToList();
            var log = new List<string>();
            foreach (var plan in PreemptionPolicy.Plan(tenants, _queue, Allocations(), view, running, _holds, now, PreemptionRules.Default))
            {
                foreach (var victim in plan.Victims)
                {
                    var ended = _running[victim.RunId];
                    _running.Remove(victim.RunId);
                    (_preemptedAt.TryGetValue(victim.RunId, out var at) ? at : _preemptedAt[victim.RunId] = []).Add(now);
                    _queue = _queue.Add(ended.Run);
                    log.Add($"{victim.RunId} {(victim.Reason == PreemptionReason.HigherClass ? "higher_class" : "reclaim_guarantee")} for {plan.RunId}");
                }

                _holds.Add(plan.Reservation);
            }

            return log;
        }

        private List<Allocation> Allocations() => [.. _running.Values.GroupBy(r => r.Run.TenantId).Select(g => new Allocation(g.Key, g.Count()))];
    }
}
