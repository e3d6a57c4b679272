using System.Diagnostics;
using ForgetLab.Core.Scheduling;

namespace ForgetLab.Bench.Scheduler;

/// <summary>
/// One simulated pool: a full round over an empty pool, single-device re-placements on a full pool,
/// and a stream of runs finishing at random whose devices are re-placed at once.
/// </summary>
internal sealed class SchedulerSimulation
{
    public const int Workers = 1_000;
    public const int DevicesPerWorker = 4;
    public const int Tenants = 100;
    public const int QueuedRuns = 10_000;
    public const int StreamPlacements = 100_000;
    private const int StreamCheckpoint = 10_000;
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly RunMix _mix;
    private readonly Random _random;
    private readonly List<TenantShare> _tenants;
    private readonly Dictionary<string, double> _weights;
    private readonly List<FreeDevice> _pool;
    private readonly RunQueue _queue;
    private int _nextRun;

    public SchedulerSimulation(RunMix mix, int seed)
    {
        _mix = mix;
        _random = new Random(seed);
        double[] weights = [1, 2, 4];
        _tenants = Enumerable.Range(0, Tenants)
            .Select(t => new TenantShare($"t{t:D3}", weights[_random.Next(weights.Length)], TenantQuota.Unlimited))
            .ToList();
        _weights = _tenants.ToDictionary(t => t.TenantId, t => t.Weight);
        _pool = Enumerable.Range(0, Workers)
            .SelectMany(w => Enumerable.Range(0, DevicesPerWorker).Select(d => new FreeDevice($"w{w:D4}", $"cuda:{d}", DeviceKind.Cuda)))
            .ToList();
        _queue = RunQueue.From(Enumerable.Range(0, QueuedRuns).Select(i => NewRun(_tenants[i % Tenants].TenantId)));
    }

    public void Report(TextWriter output)
    {
        output.WriteLine($"## {_mix.Name}");
        output.WriteLine();

        // 1. Full rounds: every device free, nothing allocated, the whole queue.
        var full = FairSharePolicy.Decide(_tenants, _queue, _pool, []);
        var (fullRounds, fullSeconds) = Time(() => FairSharePolicy.Decide(_tenants, _queue, _pool, []), minSeconds: 3);
        var allocated = Allocated(full.Placements);
        var fullFairness = Fairness.Of(allocated, _weights);

        // 2. Single-device placements on the full pool: one 1-device run finished, its device re-placed.
        var queueAfter = _queue.Without(full.Placements);
        var scenarios = full.Placements.Where(p => p.DeviceIds.Count == 1).Take(1_000).Select(p =>
        {
            var held = allocated.Select(a => new Allocation(a.Key, a.Key == p.TenantId ? a.Value - 1 : a.Value)).ToList();
            var freed = full.Placements.Count < _pool.Count ? LeftOver(full.Placements) : [];
            freed.Add(new FreeDevice(p.WorkerId, p.DeviceIds[0], DeviceKind.Cuda));
            return (Held: held, Free: freed);
        }).ToArray();
        var next = 0;
        var (singles, singleSeconds) = Time(() =>
        {
            var (held, free) = scenarios[next++ % scenarios.Length];
            return FairSharePolicy.Decide(_tenants, queueAfter, free, held);
        }, minSeconds: 3);

        output.WriteLine("| measure | value |");
        output.WriteLine("|---|---:|");
        output.WriteLine($"| full round (4,000 free devices, 10,000 queued runs): placements | {full.Placements.Count:N0} ({full.Placements.Sum(p => p.DeviceIds.Count):N0} devices) |");
        output.WriteLine($"| full round: time per round | {1e3 * fullSeconds / fullRounds:F2} ms |");
        output.WriteLine($"| full round: rounds/s | {fullRounds / fullSeconds:N0} |");
        output.WriteLine($"| full round: placements/s | {full.Placements.Count * fullRounds / fullSeconds:N0} |");
        output.WriteLine($"| single-device re-placement on a full pool: decisions/s | {singles / singleSeconds:N0} |");
        output.WriteLine($"| single-device re-placement: time per decision | {1e6 * singleSeconds / singles:F1} µs |");
        output.WriteLine();

        // 3. A stream: runs finish at random, their devices are re-placed; each placed run's tenant
        // queues a new one, so every tenant keeps more demand than its share.
        output.WriteLine("Allocation vs weighted share (share_i = devices in use · w_i / Σw):");
        output.WriteLine();
        output.WriteLine("| state | placements | devices in use | max \\|dev\\| (devices) | mean \\|dev\\| (devices) | max \\|dev\\| % | mean \\|dev\\| % |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        output.WriteLine(Row("after the full round", 0, fullFairness));
        Stream(full, allocated, output);
        output.WriteLine();
    }

    private void Stream(SchedulingDecision first, Dictionary<string, int> allocated, TextWriter output)
    {
        var queue = _queue.Without(first.Placements);
        foreach (var placement in first.Placements)
        {
            queue = queue.Add(NewRun(placement.TenantId));
        }

        var running = first.Placements.ToList();
        var free = LeftOver(first.Placements);
        var placed = 0;
        var decisions = 0;
        var bySize = new SortedDictionary<int, int>();
        var worst = new Fairness(0, 0, 0, 0, 0);
        var policySeconds = 0.0;
        var clock = Stopwatch.StartNew();
        while (placed < StreamPlacements)
        {
            // A random running run finishes.
            var index = _random.Next(running.Count);
            var done = running[index];
            running[index] = running[^1];
            running.RemoveAt(running.Count - 1);
            allocated[done.TenantId] -= done.DeviceIds.Count;
            free.AddRange(done.DeviceIds.Select(id => new FreeDevice(done.WorkerId, id, DeviceKind.Cuda)));

            var started = Stopwatch.GetTimestamp();
            var decision = FairSharePolicy.Decide(
                _tenants, queue, free, allocated.Select(a => new Allocation(a.Key, a.Value)).ToList());
            policySeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
            decisions++;

            foreach (var placement in decision.Placements)
            {
                queue = queue.Remove(placement.RunId).Add(NewRun(placement.TenantId));
                running.Add(placement);
                allocated[placement.TenantId] += placement.DeviceIds.Count;
                free.RemoveAll(d => d.WorkerId == placement.WorkerId && placement.DeviceIds.Contains(d.DeviceId));
                bySize[placement.DeviceIds.Count] = bySize.GetValueOrDefault(placement.DeviceIds.Count) + 1;
                placed++;
                if (placed % StreamCheckpoint == 0)
                {
                    var fairness = Fairness.Of(allocated, _weights);
                    if (fairness.MaxDevices > worst.MaxDevices) worst = fairness;
                    output.WriteLine(Row("stream", placed, fairness));
                }
            }
        }

        output.WriteLine();
        output.WriteLine($"Stream: {placed:N0} placements in {decisions:N0} decisions; policy time {policySeconds:F2} s "
            + $"({decisions / policySeconds:N0} decisions/s, {placed / policySeconds:N0} placements/s); whole simulation {clock.Elapsed.TotalSeconds:F2} s; "
            + $"devices idle at the end: {free.Count}; placements by size: {string.Join(", ", bySize.Select(s => $"{s.Key}-device {s.Value:N0}"))}.");
    }

    private QueuedRun NewRun(string tenant)
    {
        var id = _nextRun++;
        var devices = _mix.Draw(_random);
        var kind = _random.Next(10) == 0 ? DeviceKind.Any : DeviceKind.Cuda;
        return new QueuedRun($"r{id:D7}", tenant, _random.Next(3), Start.AddSeconds(id), devices, kind);
    }

    private Dictionary<string, int> Allocated(IEnumerable<Placement> placements)
    {
        var allocated = _tenants.ToDictionary(t => t.TenantId, _ => 0);
        foreach (var placement in placements) allocated[placement.TenantId] += placement.DeviceIds.Count;
        return allocated;
    }

    private List<FreeDevice> LeftOver(IEnumerable<Placement> placements)
    {
        var used = placements.SelectMany(p => p.DeviceIds.Select(id => (p.WorkerId, id))).ToHashSet();
        return _pool.Where(d => !used.Contains((d.WorkerId, d.DeviceId))).ToList();
    }

    private static string Row(string state, int placements, Fairness f) =>
        $"| {state} | {placements:N0} | {f.InUse:N0} | {f.MaxDevices:F2} | {f.MeanDevices:F2} | {f.MaxPercent:F1}% | {f.MeanPercent:F1}% |";

    /// <summary>Runs <paramref name="action"/> after a warm-up until at least <paramref name="minSeconds"/> have passed.</summary>
    private static (int Iterations, double Seconds) Time(Func<object> action, double minSeconds)
    {
        for (var i = 0; i < 5; i++) action();
        var iterations = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < minSeconds)
        {
            GC.KeepAlive(action());
            iterations++;
        }

        return (iterations, clock.Elapsed.TotalSeconds);
    }
}
