using System.Globalization;
using System.Text;
using ForgetLab.Core.Scheduling;
using ForgetLab.Core.Tests.Scheduling.Reference;
using static ForgetLab.Core.Tests.Scheduling.Pool;

namespace ForgetLab.Core.Tests.Scheduling;

/// <summary>
/// <see cref="PreemptionPolicy.Plan"/> skips heads that can preempt no one before it looks at a worker, and its indexed overload reads
/// tenants and running runs from a <see cref="PoolIndex"/> kept up to date instead of lists. These tests hold both to the plans of the
/// policy before those changes (<see cref="PreemptionPolicyBefore"/>), and the indexed <see cref="FairSharePolicy.Decide(PoolIndex, RunQueue, IReadOnlyList{FreeDevice}, IReadOnlyList{GangReservation}?, ClassWeights?)"/>
/// to the list one, on seeded pools and on seeded traces where plans are acted on, so the speed-ups change no decision.
/// </summary>
public class PreemptionPolicyEquivalenceTests
{
    private static readonly DateTimeOffset Now = T0.AddHours(10);
    private static readonly string[] Kinds = [DeviceKind.Cuda, DeviceKind.Cpu];
    private static readonly long?[] Memories = [null, 40 * GiB, 80 * GiB];

    [Fact]
    public void OnSeededPoolsTheFastPlanMakesTheSamePlansAsThePolicyBeforeIt()
    {
        var withPlans = 0;
        for (var seed = 0; seed < 400; seed++)
        {
            var random = new Random(seed);
            var pool = RandomPool(random);
            var rules = new PreemptionRules(random.Next(1, 4), TimeSpan.FromHours(random.Next(1, 8)), random.Next(1, 5));

            var before = PreemptionPolicyBefore.Plan(pool.Tenants, pool.Queue, pool.Allocations, pool.Workers, pool.Running, pool.Reservations, Now, rules);
            var after = PreemptionPolicy.Plan(pool.Tenants, pool.Queue, pool.Allocations, pool.Workers, pool.Running, pool.Reservations, Now, rules);

            Assert.True(Render(before) == Render(after), $"seed {seed}: before\n{Render(before)}\nafter\n{Render(after)}");
            if (before.Count > 0) withPlans++;
        }

        // Both paths are exercised: pools where someone preempts, and pools where no one can.
        Assert.InRange(withPlans, 40, 360);
    }

    [Fact]
    public void OnSeededPoolsAnIndexBuiltChangeByChangeDecidesAndPlansAsTheListsDo()
    {
        var withPlans = 0;
        for (var seed = 0; seed < 400; seed++)
        {
            var random = new Random(seed);
            var pool = RandomPool(random);
            var rules = new PreemptionRules(random.Next(0, 4), TimeSpan.FromHours(random.Next(1, 8)), random.Next(1, 5));
            var index = IndexedChangeByChange(pool, random);
            var free = pool.Workers.SelectMany(w => Enumerable.Range(0, w.Free).Select(d => new FreeDevice(w.WorkerId, $"{w.Kind}:{d}", w.Kind, w.MemoryBytes))).ToList();

            var before = PreemptionPolicyBefore.Plan(pool.Tenants, pool.Queue, pool.Allocations, pool.Workers, pool.Running, pool.Reservations, Now, rules);
            var indexed = PreemptionPolicy.Plan(index, pool.Queue, pool.Workers, pool.Reservations, Now, rules);
            Assert.True(Render(before) == Render(indexed), $"seed {seed}: before\n{Render(before)}\nindexed\n{Render(indexed)}");
            Assert.Equal(
                FairSharePolicy.Decide(pool.Tenants, pool.Queue, free, pool.Allocations, pool.Reservations),
                FairSharePolicy.Decide(index, pool.Queue, free, pool.Reservations));
            if (before.Count > 0) withPlans++;
        }

        Assert.InRange(withPlans, 40, 360);
    }

    [Fact]
    public void OnSeededTracesAnIndexKeptAlongMakesTheSameDecisionsStepForStep()
    {
        for (var seed = 0; seed < 12; seed++)
        {
            var before = Trace(seed, PreemptionPolicyBefore.Plan);
            var indexed = Trace(seed, PreemptionPolicyBefore.Plan, keepIndex: true);

            Assert.Equal(before.Count, indexed.Count);
            for (var step = 0; step < before.Count; step++)
            {
                Assert.True(before[step] == indexed[step], $"seed {seed}, step {step}: before\n{before[step]}\nindexed\n{indexed[step]}");
            }
        }
    }

    [Fact]
    public void AnIndexRefusesWhatTheListsWouldBeRefusedForNamingIt()
    {
        var index = PoolIndex.From([Tenant("a")], [], []);
        Assert.Contains("'b', which is not in tenants", Assert.Throws<ArgumentException>(() => index.SetHeld("b", 1)).Message, StringComparison.Ordinal);
        Assert.Contains("weight must be a finite number > 0", Assert.Throws<ArgumentException>(() => index.SetShare(Tenant("c", weight: 0))).Message, StringComparison.Ordinal);
        var run = new RunningRun("x", "a", PriorityClass.Low, "w0", DeviceKind.Cuda, 1, Now, []);
        index.AddRunning(run);
        Assert.Contains("'x' is running already", Assert.Throws<ArgumentException>(() => index.AddRunning(run)).Message, StringComparison.Ordinal);
        Assert.True(index.RemoveRunning("x"));
        Assert.False(index.RemoveRunning("x"));
        Assert.Equal(0, index.RunningCount);
    }

    /// <summary>The pool's index as an owner would have built it: tenants, then runs starting and ending (one that comes and goes), checkpoints replacing records.</summary>
    private static PoolIndex IndexedChangeByChange(RandomPoolState pool, Random random)
    {
        var index = new PoolIndex();
        foreach (var tenant in pool.Tenants) index.SetShare(tenant with { Weight = tenant.Weight + 1 });
        foreach (var tenant in pool.Tenants) index.SetShare(tenant);
        var passing = new RunningRun("passing", pool.Tenants[0].TenantId, PriorityClass.Low, "w0", DeviceKind.Cuda, 1, Now, [Now]);
        index.AddRunning(passing);
        index.AddHeld(passing.TenantId, 1);
        foreach (var run in pool.Running.OrderBy(_ => random.Next()))
        {
            index.AddRunning(random.Next(3) == 0 ? run with { LastCheckpointAt = run.LastCheckpointAt.AddHours(-1) } : run);
            index.AddHeld(run.TenantId, run.Devices);
        }

        foreach (var run in pool.Running) index.UpdateRunning(run);
        Assert.True(index.RemoveRunning(passing.RunId));
        index.AddHeld(passing.TenantId, -1);
        foreach (var allocation in pool.Allocations) Assert.Equal(allocation.Devices, index.HeldBy(allocation.TenantId));
        return index;
    }

    [Fact]
    public void OnSeededTracesTheDecisionSequenceIsTheSameStepForStep()
    {
        var plansSeen = 0;
        for (var seed = 0; seed < 12; seed++)
        {
            var before = Trace(seed, PreemptionPolicyBefore.Plan);
            var after = Trace(seed, PreemptionPolicy.Plan);

            Assert.Equal(before.Count, after.Count);
            for (var step = 0; step < before.Count; step++)
            {
                Assert.True(before[step] == after[step], $"seed {seed}, step {step}: before\n{before[step]}\nafter\n{after[step]}");
            }

            plansSeen += before.Count(s => s.Contains("plan ", StringComparison.Ordinal));
        }

        Assert.True(plansSeen > 20, $"the traces made only {plansSeen} plans, too few to compare");
    }

    private delegate IReadOnlyList<PreemptionPlan> PlanFunction(
        IReadOnlyList<TenantShare> tenants, RunQueue queue, IReadOnlyList<Allocation> allocations, IReadOnlyList<WorkerDevices> workers,
        IReadOnlyList<RunningRun> running, IReadOnlyList<GangReservation> reservations, DateTimeOffset now, PreemptionRules rules);

    private sealed record RandomPoolState(
        List<TenantShare> Tenants, RunQueue Queue, List<Allocation> Allocations, List<WorkerDevices> Workers, List<RunningRun> Running, List<GangReservation> Reservations);

    /// <summary>A small pool with every feature the policy reads: kinds, memory, classes, quotas, guarantees, protection, reservations.</summary>
    private static RandomPoolState RandomPool(Random random)
    {
        var tenants = Enumerable.Range(0, random.Next(1, 7)).Select(t => Tenant(
            $"t{t}", weight: random.Next(1, 4), maxDevices: random.Next(5) == 0 ? random.Next(1, 6) : int.MaxValue,
            used: random.Next(12) == 0 ? 10 : 0, budget: 5 + random.Next(10), guaranteed: random.Next(3) == 0 ? 0 : random.Next(0, 7))).ToList();
        var workers = new List<WorkerDevices>();
        var running = new List<RunningRun>();
        var run = 0;
        for (var w = 0; w < random.Next(1, 13); w++)
        {
            var kind = Kinds[random.Next(5) == 0 ? 1 : 0];
            var memory = Memories[random.Next(Memories.Length)];
            var total = random.Next(1, 5);
            var free = total;
            while (free > 0 && random.Next(6) != 0)
            {
                var devices = Math.Min(free, random.Next(3) == 0 ? random.Next(1, 4) : 1);
                running.Add(new RunningRun(
                    $"x{run++}", tenants[random.Next(tenants.Count)].TenantId, (PriorityClass)random.Next(3), $"w{w}", kind, devices,
                    Now.AddMinutes(-random.Next(0, 240)), [.. Enumerable.Range(0, random.Next(4) == 0 ? random.Next(1, 5) : 0).Select(_ => Now.AddMinutes(-random.Next(1, 480)))],
                    random.Next(10) == 0 ? Memories[random.Next(Memories.Length)] : memory));
                free -= devices;
            }

            workers.Add(new WorkerDevices($"w{w}", kind, total, free, memory));
        }

        var queued = Enumerable.Range(0, random.Next(0, 14)).Select(i => new QueuedRun(
            $"q{i}", tenants[random.Next(tenants.Count)].TenantId, random.Next(3), T0.AddMinutes(random.Next(600)), random.Next(4) == 0 ? random.Next(2, 5) : 1,
            random.Next(3) switch { 0 => DeviceKind.Any, 1 => DeviceKind.Cpu, _ => DeviceKind.Cuda }, (PriorityClass)random.Next(3),
            random.Next(3) == 0 ? null : (random.Next(2) == 0 ? 30 : 60) * GiB)).ToList();
        var reservations = new List<GangReservation>();
        if (queued.Count > 0 && random.Next(3) == 0) reservations.Add(new GangReservation($"w{random.Next(workers.Count)}", queued[random.Next(queued.Count)].RunId));
        var allocations = running.GroupBy(r => r.TenantId).Select(g => new Allocation(g.Key, g.Sum(r => r.Devices))).ToList();
        return new RandomPoolState(tenants, RunQueue.From(queued), allocations, workers, running, reservations);
    }

    /// <summary>
    /// A seeded trace on a fixed pool: runs arrive and finish, each step places what fits (<see cref="FairSharePolicy.Decide"/>), then plans
    /// preemptions with <paramref name="plan"/> and acts on them (victims requeued, workers held for the preemptor). Every step's plans are rendered.
    /// </summary>
    /// <param name="keepIndex">Keep a <see cref="PoolIndex"/> along the trace, change by change, and decide and plan with it instead of the lists.</param>
    private static List<string> Trace(int seed, PlanFunction plan, bool keepIndex = false)
    {
        var random = new Random(seed);
        var tenants = Enumerable.Range(0, 5).Select(t => Tenant($"t{t}", weight: 1 + t % 3, guaranteed: 2 + t % 3)).ToList();
        var workers = Enumerable.Range(0, 8).Select(w => (Id: $"w{w}", Memory: (w % 2 == 0 ? 40 : 80) * GiB, Owner: new string?[4])).ToList();
        var queue = RunQueue.Empty;
        var running = new Dictionary<string, (QueuedRun Run, string Worker, int Devices, DateTimeOffset Started, List<DateTimeOffset> Preempted)>(StringComparer.Ordinal);
        var preemptedAt = new Dictionary<string, List<DateTimeOffset>>(StringComparer.Ordinal);
        var holds = new List<GangReservation>();
        var steps = new List<string>();
        var next = 0;
        var rules = new PreemptionRules(2, TimeSpan.FromHours(3), 2);
        var index = keepIndex ? PoolIndex.From(tenants, [], []) : null;
        var indexed = new Dictionary<string, RunningRun>(StringComparer.Ordinal);
        for (var step = 0; step < 120; step++)
        {
            var now = T0.AddMinutes(10 * step);
            for (var a = random.Next(1, 7); a > 0; a--)
            {
                queue = queue.Add(new QueuedRun(
                    $"r{next++}", tenants[random.Next(tenants.Count)].TenantId, random.Next(2), now, random.Next(5) == 0 ? 2 : 1, DeviceKind.Cuda,
                    (PriorityClass)random.Next(3), (random.Next(3) == 0 ? 60 : 20) * GiB));
            }

            foreach (var id in running.Keys.Where(_ => random.Next(12) == 0).ToList()) Free(id);

            holds.RemoveAll(h => !queue.Contains(h.RunId));
            var allocations = Allocations();
            var free = workers.SelectMany(w => w.Owner.Select((owner, d) => (owner, d)).Where(x => x.owner is null)
                .Select(x => new FreeDevice(w.Id, $"cuda:{x.d}", DeviceKind.Cuda, w.Memory))).ToList();
            var decision = index is null ? FairSharePolicy.Decide(tenants, queue, free, allocations, holds) : FairSharePolicy.Decide(index, queue, free, holds);
            foreach (var placement in decision.Placements)
            {
                var run = queue.Find(placement.RunId)!;
                queue = queue.Remove(run.RunId);
                var worker = workers.First(w => w.Id == placement.WorkerId);
                foreach (var device in placement.DeviceIds) worker.Owner[int.Parse(device.AsSpan(5), CultureInfo.InvariantCulture)] = run.RunId;
                running[run.RunId] = (run, worker.Id, placement.DeviceIds.Count, now, preemptedAt.GetValueOrDefault(run.RunId) ?? []);
                index?.AddHeld(run.TenantId, placement.DeviceIds.Count);
            }

            holds.RemoveAll(h => !queue.Contains(h.RunId));
            var view = workers.Select(w => new WorkerDevices(w.Id, DeviceKind.Cuda, 4, w.Owner.Count(o => o is null), w.Memory)).ToList();
            var runningRuns = running.Values.OrderBy(r => r.Run.RunId, StringComparer.Ordinal).Select(r => new RunningRun(
                r.Run.RunId, r.Run.TenantId, r.Run.Class, r.Worker, DeviceKind.Cuda, r.Devices,
                r.Started.AddMinutes(30 * Math.Floor((now - r.Started).TotalMinutes / 30)), r.Preempted, workers.First(w => w.Id == r.Worker).Memory)).ToList();
            foreach (var current in runningRuns.Where(_ => index is not null))
            {
                if (!indexed.TryGetValue(current.RunId, out var known)) index!.AddRunning(current);
                else if (known != current) index!.UpdateRunning(current);
                indexed[current.RunId] = current;
            }

            var plans = index is null
                ? plan(tenants, queue, Allocations(), view, runningRuns, holds, now, rules)
                : PreemptionPolicy.Plan(index, queue, view, holds, now, rules);
            steps.Add($"step {step}: placed {string.Join(", ", decision.Placements.Select(p => $"{p.RunId}@{p.WorkerId}"))}\n{Render(plans)}");

            foreach (var made in plans)
            {
                holds.Add(made.Reservation);
                foreach (var victim in made.Victims)
                {
                    var (run, _, _, _, preempted) = running[victim.RunId];
                    preempted.Add(now);
                    preemptedAt[run.RunId] = preempted;
                    Free(victim.RunId);
                    queue = queue.Add(run);
                }
            }
        }

        return steps;

        List<Allocation> Allocations() =>
            [.. running.Values.GroupBy(r => r.Run.TenantId).Select(g => new Allocation(g.Key, g.Sum(r => r.Devices)))];

        void Free(string runId)
        {
            foreach (var worker in workers)
            {
                for (var d = 0; d < worker.Owner.Length; d++) if (worker.Owner[d] == runId) worker.Owner[d] = null;
            }

            if (index is not null && running.TryGetValue(runId, out var ended))
            {
                index.AddHeld(ended.Run.TenantId, -ended.Devices);
                if (indexed.Remove(runId)) Assert.True(index.RemoveRunning(runId));
            }

            running.Remove(runId);
        }
    }

    private static string Render(IReadOnlyList<PreemptionPlan> plans)
    {
        var text = new StringBuilder();
        foreach (var plan in plans)
        {
            text.Append(CultureInfo.InvariantCulture, $"plan {plan.RunId} ({plan.TenantId}) on {plan.WorkerId}, at risk {plan.DeviceHoursAtRisk:R}:");
            foreach (var victim in plan.Victims) text.Append(CultureInfo.InvariantCulture, $" [{victim.RunId} {victim.TenantId} {victim.Reason} {victim.Explanation}]");
            text.Append('\n');
        }

        return text.ToString();
    }
}
