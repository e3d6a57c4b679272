using System.Diagnostics;
using ForgetLab.Core.Scheduling;

namespace ForgetLab.Bench.Scheduler;

/// <summary>
/// Single-device decisions of the new policy at platform scale, as the pool grain makes them: gang
/// reservations (<see cref="GangReservations.Choose"/>), placement (<see cref="FairSharePolicy.Decide"/>)
/// and cooperative preemption (<see cref="PreemptionPolicy.Plan"/>) on a full pool where one run has
/// just finished. Runs carry classes (high/normal/low 15/60/25%) and memory (30% need 60 GiB, the rest
/// 20 GiB); half the workers have 40 GiB devices, half 80 GiB; tenants are guaranteed 80% of the pool
/// split by weight.
/// </summary>
internal sealed class NewPolicyThroughput
{
    private const long GiB = 1L << 30;
    private const int Scenarios = 200;
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan GangWaitBound = TimeSpan.FromHours(1);
    private const int MaxGangReservations = 6;

    private readonly RunMix _mix;
    private readonly Random _random;
    private readonly List<TenantShare> _tenants;
    private readonly List<FreeDevice> _pool;
    private readonly RunQueue _queue;
    private readonly DateTimeOffset _now;

    public NewPolicyThroughput(RunMix mix, int seed)
    {
        _mix = mix;
        _random = new Random(seed);
        double[] weights = [1, 2, 4];
        var drawn = Enumerable.Range(0, SchedulerSimulation.Tenants).Select(_ => weights[_random.Next(weights.Length)]).ToList();
        var devices = SchedulerSimulation.Workers * SchedulerSimulation.DevicesPerWorker;
        _tenants = [.. drawn.Select((w, t) => new TenantShare(
            $"t{t:D3}", w, new TenantQuota(int.MaxValue, double.PositiveInfinity, 0, (int)Math.Floor(0.8 * devices * w / drawn.Sum()))))];
        _pool = [.. Enumerable.Range(0, SchedulerSimulation.Workers).SelectMany(w => Enumerable.Range(0, SchedulerSimulation.DevicesPerWorker)
            .Select(d => new FreeDevice($"w{w:D4}", $"cuda:{d}", DeviceKind.Cuda, MemoryOf(w))))];
        _queue = RunQueue.From(Enumerable.Range(0, SchedulerSimulation.QueuedRuns).Select(i => NewRun(i, _tenants[i % _tenants.Count].TenantId)));
        _now = Start.AddHours(3); // the oldest multi-device runs have waited past the gang bound
    }

    /// <summary>Writes the tables; returns the indexed single-device decisions per second.</summary>
    public double Report(TextWriter output)
    {
        output.WriteLine($"## {_mix.Name}, new policy (classes, guarantees, memory fit, gang reservation, preemption)");
        output.WriteLine();

        // The full pool: one full round over the empty pool.
        var full = FairSharePolicy.Decide(_tenants, _queue, _pool, []);
        var queue = _queue.Without(full.Placements);
        var runs = full.Placements.ToDictionary(p => p.RunId, p => _queue.Find(p.RunId)!, StringComparer.Ordinal);
        var running = full.Placements.Select(p => Running(p, runs[p.RunId])).ToList();
        var allocated = Allocated(full.Placements);
        var freeLeft = LeftOver(full.Placements);

        // Each scenario: one 1-device run finishes; Plan sees the pool after Decide placed its device.
        var scenarios = full.Placements.Where(p => p.DeviceIds.Count == 1).Take(Scenarios).Select(p =>
        {
            var held = allocated.Select(a => new Allocation(a.Key, a.Key == p.TenantId ? a.Value - 1 : a.Value)).ToList();
            List<FreeDevice> free = [.. freeLeft, new FreeDevice(p.WorkerId, p.DeviceIds[0], DeviceKind.Cuda, MemoryOf(p.WorkerId))];
            var workersBefore = Workers(free);
            var reservations = GangReservations.Choose(queue, workersBefore, [], _now, GangWaitBound, MaxGangReservations);
            var decision = FairSharePolicy.Decide(_tenants, queue, free, held, reservations);
            var after = queue.Without(decision.Placements);
            var heldAfter = held.Select(a => new Allocation(a.TenantId, a.Devices + decision.Placements.Where(d => d.TenantId == a.TenantId).Sum(d => d.DeviceIds.Count))).ToList();
            var runningAfter = running.Where(r => r.RunId != p.RunId)
                .Concat(decision.Placements.Select(d => Running(d, queue.Find(d.RunId)!)))
                .ToList();
            var freeAfter = free.Where(f => !decision.Placements.Any(d => d.WorkerId == f.WorkerId && d.DeviceIds.Contains(f.DeviceId))).ToList();
            return new Scenario(held, free, workersBefore, after, heldAfter, runningAfter, Workers(freeAfter), reservations, running.Single(r => r.RunId == p.RunId));
        }).ToArray();

        var plans = scenarios.Select(s => PreemptionPolicy.Plan(_tenants, s.QueueAfter, s.HeldAfter, s.WorkersAfter, s.RunningAfter, s.Reservations, _now, PreemptionRules.Default)).ToList();
        var next = 0;
        var (choose, chooseSeconds) = Time(() =>
        {
            var s = scenarios[next++ % scenarios.Length];
            return GangReservations.Choose(queue, s.Workers, [], _now, GangWaitBound, MaxGangReservations);
        });
        next = 0;
        var (decide, decideSeconds) = Time(() =>
        {
            var s = scenarios[next++ % scenarios.Length];
            return FairSharePolicy.Decide(_tenants, queue, s.Free, s.Held, s.Reservations);
        });
        next = 0;
        var (plan, planSeconds) = Time(() =>
        {
            var s = scenarios[next++ % scenarios.Length];
            return PreemptionPolicy.Plan(_tenants, s.QueueAfter, s.HeldAfter, s.WorkersAfter, s.RunningAfter, s.Reservations, _now, PreemptionRules.Default);
        });
        next = 0;
        var (whole, wholeSeconds) = Time(() =>
        {
            var s = scenarios[next++ % scenarios.Length];
            var reservations = GangReservations.Choose(queue, s.Workers, [], _now, GangWaitBound, MaxGangReservations);
            var decision = FairSharePolicy.Decide(_tenants, queue, s.Free, s.Held, reservations);
            return (decision, PreemptionPolicy.Plan(_tenants, s.QueueAfter, s.HeldAfter, s.WorkersAfter, s.RunningAfter, reservations, _now, PreemptionRules.Default));
        });

        // The same decisions with the tenants, allocations and running runs in a PoolIndex its owner keeps: the finished run's lease
        // ends, the decision places, its placements start, preemption plans. Each timed call then undoes its changes so the next
        // scenario starts from the full pool again; the undo is not part of a real decision but is timed with it.
        var index = PoolIndex.From(_tenants, [.. allocated.Select(a => new Allocation(a.Key, a.Value))], running);
        foreach (var s in scenarios)
        {
            var (decision, planned) = Indexed(index, queue, s);
            if (!decision.Equals(FairSharePolicy.Decide(_tenants, queue, s.Free, s.Held, s.Reservations))
                || Render(planned) != Render(PreemptionPolicy.Plan(_tenants, s.QueueAfter, s.HeldAfter, s.WorkersAfter, s.RunningAfter, s.Reservations, _now, PreemptionRules.Default)))
            {
                throw new InvalidOperationException($"The indexed decision differs from the list one when run '{s.Finished.RunId}' finishes.");
            }
        }

        next = 0;
        var (indexedDecide, indexedDecideSeconds) = Time(() =>
        {
            var s = scenarios[next++ % scenarios.Length];
            End(index, s.Finished);
            var decision = FairSharePolicy.Decide(index, queue, s.Free, s.Reservations);
            Begin(index, s.Finished);
            return decision;
        });
        next = 0;
        var (indexedPlan, indexedPlanSeconds) = Time(() =>
        {
            var s = scenarios[next++ % scenarios.Length];
            return PreemptionPolicy.Plan(index, s.QueueAfter, s.WorkersAfter, s.Reservations, _now, PreemptionRules.Default);
        });
        next = 0;
        var (indexed, indexedSeconds) = Time(() => Indexed(index, queue, scenarios[next++ % scenarios.Length]));

        output.WriteLine("| measure | value |");
        output.WriteLine("|---|---:|");
        output.WriteLine($"| running runs on the full pool (low / normal / high) | {running.Count:N0} ({Count(running, PriorityClass.Low):N0} / {Count(running, PriorityClass.Normal):N0} / {Count(running, PriorityClass.High):N0}) |");
        output.WriteLine($"| queued runs after the full round | {queue.Count:N0} |");
        output.WriteLine($"| gang reservations per decision (mean) | {scenarios.Average(s => s.Reservations.Count):F2} |");
        output.WriteLine($"| preemption plans per decision (mean; victims) | {plans.Average(p => p.Count):F2} ({plans.Average(p => p.Sum(x => x.Victims.Count)):F2}) |");
        output.WriteLine($"| GangReservations.Choose: time per call | {1e6 * chooseSeconds / choose:F1} µs |");
        output.WriteLine($"| FairSharePolicy.Decide: time per call | {1e6 * decideSeconds / decide:F1} µs |");
        output.WriteLine($"| PreemptionPolicy.Plan: time per call | {1e6 * planSeconds / plan:F1} µs |");
        output.WriteLine($"| single-device decision (all three): decisions/s | {whole / wholeSeconds:N0} |");
        output.WriteLine($"| single-device decision (all three): time per decision | {1e6 * wholeSeconds / whole:F1} µs |");
        output.WriteLine($"| indexed (PoolIndex kept by its owner): FairSharePolicy.Decide per call, with the finished lease's update | {1e6 * indexedDecideSeconds / indexedDecide:F1} µs |");
        output.WriteLine($"| indexed: PreemptionPolicy.Plan per call (index as after the placement) | {1e6 * indexedPlanSeconds / indexedPlan:F1} µs |");
        output.WriteLine($"| indexed single-device decision (all three, index updates and undo included): decisions/s | {indexed / indexedSeconds:N0} |");
        output.WriteLine($"| indexed single-device decision: time per decision | {1e6 * indexedSeconds / indexed:F1} µs |");
        output.WriteLine();
        return indexed / indexedSeconds;
    }

    /// <summary>One decision on the index: the finished run's lease ends, Choose, Decide, the placements start, Plan; then undone.</summary>
    private (SchedulingDecision Decision, IReadOnlyList<PreemptionPlan> Plans) Indexed(PoolIndex index, RunQueue queue, Scenario s)
    {
        End(index, s.Finished);
        var reservations = GangReservations.Choose(queue, s.Workers, [], _now, GangWaitBound, MaxGangReservations);
        var decision = FairSharePolicy.Decide(index, queue, s.Free, reservations);
        var started = new RunningRun[decision.Placements.Count];
        for (var i = 0; i < started.Length; i++) Begin(index, started[i] = Running(decision.Placements[i], queue.Find(decision.Placements[i].RunId)!));
        var plans = PreemptionPolicy.Plan(index, s.QueueAfter, s.WorkersAfter, reservations, _now, PreemptionRules.Default);
        foreach (var run in started) End(index, run);
        Begin(index, s.Finished);
        return (decision, plans);
    }

    private static void Begin(PoolIndex index, RunningRun run)
    {
        index.AddRunning(run);
        index.AddHeld(run.TenantId, run.Devices);
    }

    private static void End(PoolIndex index, RunningRun run)
    {
        index.RemoveRunning(run.RunId);
        index.AddHeld(run.TenantId, -run.Devices);
    }

    private static string Render(IReadOnlyList<PreemptionPlan> plans) => string.Join("\n", plans.Select(p =>
        $"{p.RunId} {p.WorkerId} {p.DeviceHoursAtRisk:R} " + string.Join(" ", p.Victims.Select(v => $"{v.RunId}/{v.Reason}/{v.Explanation}"))));

    private static long MemoryOf(int worker) => (worker % 2 == 0 ? 40 : 80) * GiB;

    private static long MemoryOf(string workerId) => MemoryOf(int.Parse(workerId.AsSpan(1)));

    private QueuedRun NewRun(int id, string tenant)
    {
        var u = _random.NextDouble();
        var priorityClass = u < 0.15 ? PriorityClass.High : u < 0.75 ? PriorityClass.Normal : PriorityClass.Low;
        var memory = (_random.NextDouble() < 0.3 ? 60 : 20) * GiB;
        var kind = _random.Next(10) == 0 ? DeviceKind.Any : DeviceKind.Cuda;
        return new QueuedRun($"r{id:D7}", tenant, _random.Next(3), Start.AddSeconds(id), _mix.Draw(_random), kind, priorityClass, memory);
    }

    /// <summary>A placed run as preemption sees it: its latest checkpoint up to 30 minutes ago, never preempted.</summary>
    private RunningRun Running(Placement placement, QueuedRun run) => new(
        run.RunId, run.TenantId, run.Class, placement.WorkerId, DeviceKind.Cuda, placement.DeviceIds.Count,
        _now.AddSeconds(-(int.Parse(run.RunId.AsSpan(1)) * 7919 % 1800)), [], MemoryOf(placement.WorkerId));

    private List<WorkerDevices> Workers(List<FreeDevice> free)
    {
        var freeBy = free.GroupBy(f => f.WorkerId).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return [.. Enumerable.Range(0, SchedulerSimulation.Workers).Select(w => $"w{w:D4}").Select(id =>
            new WorkerDevices(id, DeviceKind.Cuda, SchedulerSimulation.DevicesPerWorker, freeBy.GetValueOrDefault(id), MemoryOf(id)))];
    }

    private Dictionary<string, int> Allocated(IEnumerable<Placement> placements)
    {
        var allocated = _tenants.ToDictionary(t => t.TenantId, _ => 0, StringComparer.Ordinal);
        foreach (var placement in placements) allocated[placement.TenantId] += placement.DeviceIds.Count;
        return allocated;
    }

    private List<FreeDevice> LeftOver(IEnumerable<Placement> placements)
    {
        var used = placements.SelectMany(p => p.DeviceIds.Select(id => (p.WorkerId, id))).ToHashSet();
        return [.. _pool.Where(d => !used.Contains((d.WorkerId, d.DeviceId)))];
    }

    private static int Count(List<RunningRun> running, PriorityClass priorityClass) => running.Count(r => r.Class == priorityClass);

    /// <summary>Runs <paramref name="action"/> after a warm-up until at least 3 s have passed.</summary>
    private static (int Iterations, double Seconds) Time(Func<object> action)
    {
        for (var i = 0; i < 50; i++) action();
        var iterations = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < 3)
        {
            GC.KeepAlive(action());
            iterations++;
        }

        return (iterations, clock.Elapsed.TotalSeconds);
    }

    private sealed record Scenario(
        List<Allocation> Held,
        List<FreeDevice> Free,
        List<WorkerDevices> Workers,
        RunQueue QueueAfter,
        List<Allocation> HeldAfter,
        List<RunningRun> RunningAfter,
        List<WorkerDevices> WorkersAfter,
        IReadOnlyList<GangReservation> Reservations,
        RunningRun Finished);
}
