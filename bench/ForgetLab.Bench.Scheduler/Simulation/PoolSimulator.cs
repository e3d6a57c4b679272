using System.Diagnostics;
using ForgetLab.Core.Scheduling;

namespace ForgetLab.Bench.Scheduler.Simulation;

/// <summary>
/// A discrete-event simulation of the pool driven by the Core policy functions exactly as the pool
/// grain drives them: after every batch of simultaneous events (arrival, finish, out-of-memory, end of a
/// victim's checkpoint) it chooses gang reservations, runs <see cref="FairSharePolicy.Decide"/> over
/// all free devices, and plans cooperative preemptions. Time is in hours from 0.
/// </summary>
internal sealed class PoolSimulator
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const long GiB = 1L << 30;

    private readonly SimulationSetup _setup;
    private readonly PolicyVariant _variant;
    private readonly SimWorker[] _workers;
    private readonly Dictionary<string, SimWorker> _workerById = new(StringComparer.Ordinal);
    private readonly HashSet<SimRun> _running = [];
    private readonly List<SimRun> _runs;
    private readonly Dictionary<string, SimRun> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _allocated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimTenant> _tenants;
    private readonly List<TenantShare> _shares;
    private readonly PriorityQueue<(EventKind Kind, SimRun? Run, int Segment), (double Time, long Order)> _events = new();
    private RunQueue _queue = RunQueue.Empty;
    private IReadOnlyList<GangReservation> _reservations = [];
    private IReadOnlyList<GangReservation> _gangReservations = [];
    private List<GangReservation> _preemptionReservations = [];
    private long _order;

    private double _busy, _resumeLost, _drainLost, _oomLost;
    private int _decisions, _oomFailures, _preemptions;
    private double _atRisk;
    private readonly Stopwatch _policyTime = new();
    private readonly List<double> _jain = [];

    public PoolSimulator(SimulationSetup setup, PolicyVariant variant, IReadOnlyList<TraceRun> trace)
    {
        _setup = setup;
        _variant = variant;
        _workers = [.. Enumerable.Range(0, setup.Workers).Select(w => new SimWorker(
            $"w{w:D3}", w % 2 == 0 ? setup.SmallDeviceGiB : setup.LargeDeviceGiB, setup.DevicesPerWorker))];
        foreach (var worker in _workers) _workerById[worker.Id] = worker;
        _runs = [.. trace.Select(t => new SimRun(t))];
        foreach (var run in _runs) _byId[run.Id] = run;
        _tenants = setup.Tenants.ToDictionary(t => t.Id, StringComparer.Ordinal);
        _shares = [.. setup.Tenants.Select(t => new TenantShare(
            t.Id, t.Weight, new TenantQuota(int.MaxValue, double.PositiveInfinity, 0, variant.Guarantees ? t.Guaranteed : 0)))];
        foreach (var tenant in setup.Tenants) _allocated[tenant.Id] = 0;
    }

    private enum EventKind { Arrival, Finish, OutOfMemory, CheckpointDone, Sample }

    public SimulationResult Run()
    {
        foreach (var run in _runs) Schedule(run.Trace.Arrival, EventKind.Arrival, run);
        for (var t = 0.0; t < _setup.HorizonHours; t += _setup.SampleEveryHours) Schedule(t, EventKind.Sample, null);

        while (_events.TryPeek(out _, out var head) && head.Time < _setup.HorizonHours)
        {
            var now = head.Time;
            var decide = false;
            while (_events.TryPeek(out _, out var next) && next.Time == now)
            {
                var (kind, run, segment) = _events.Dequeue();
                decide |= Handle(kind, run, segment, now);
            }

            if (decide) Place(now);
        }

        // Runs still on devices at the horizon: count their busy time so far.
        foreach (var run in _running)
        {
            _busy += run.Placement!.DeviceIds.Count * (_setup.HorizonHours - run.SegmentStart);
        }

        return new SimulationResult(_setup, _variant, _runs, _busy, _resumeLost, _drainLost, _oomLost, _oomFailures, _preemptions, _atRisk,
            _decisions, _policyTime.Elapsed.TotalSeconds, _jain.Count == 0 ? double.NaN : _jain.Average());
    }

    private bool Handle(EventKind kind, SimRun? run, int segment, double now)
    {
        switch (kind)
        {
            case EventKind.Sample:
                SampleFairness();
                return false;
            case EventKind.Arrival:
                Enqueue(run!);
                return true;
            case EventKind.Finish when run!.Segment == segment:
                EndSegment(run, now);
                run.Remaining = 0;
                run.Finished = now;
                return true;
            case EventKind.OutOfMemory when run!.Segment == segment:
                _oomFailures++;
                run.OutOfMemory++;
                _oomLost += run.Placement!.DeviceIds.Count * (now - run.SegmentStart);
                EndSegment(run, now);
                run.QueuedAt = now;
                Enqueue(run);
                return true;
            case EventKind.CheckpointDone when run!.Segment == segment:
                // The victim's checkpoint is uploaded and verified: its lease ends, it goes back on the queue.
                _drainLost += run.Placement!.DeviceIds.Count * _setup.CheckpointHours;
                Release(run);
                run.Draining = false;
                run.Segment++;
                run.Remaining += _setup.ResumeHours;
                run.QueuedAt = now;
                Enqueue(run);
                return true;
            default:
                return false; // an event of an earlier segment
        }
    }

    private void Place(double now)
    {
        var at = T0.AddHours(now);
        var free = FreeDevices();
        var allocations = _allocated.Select(a => new Allocation(a.Key, a.Value)).ToList();

        _policyTime.Start();
        _preemptionReservations = [.. _preemptionReservations.Where(r => _queue.Contains(r.RunId))];
        if (_variant.GangReservation)
        {
            // A worker freed by preemption stays with the run that preempted; gang reservations take the other workers.
            var held = _preemptionReservations.Select(r => r.WorkerId).ToHashSet(StringComparer.Ordinal);
            var forRun = _preemptionReservations.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
            _gangReservations = GangReservations.Choose(
                _queue, [.. WorkerView().Where(w => !held.Contains(w.WorkerId))], [.. _gangReservations.Where(r => !forRun.Contains(r.RunId))],
                at, _setup.GangWaitBound, _setup.MaxGangReservations);
            _reservations = [.. _preemptionReservations, .. _gangReservations.Where(r => !forRun.Contains(r.RunId))];
        }
        else
        {
            _reservations = _preemptionReservations;
        }

        var decision = FairSharePolicy.Decide(_shares, _queue, free, allocations, _reservations);
        _decisions++;
        _policyTime.Stop();

        foreach (var placement in decision.Placements) Start(_byId[placement.RunId], placement, now);
        if (!_variant.Preemption) return;

        var running = _running.Where(r => !r.Draining).OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => Running(r, now)).ToList();
        _policyTime.Start();
        var plans = PreemptionPolicy.Plan(
            _shares, _queue, [.. _allocated.Select(a => new Allocation(a.Key, a.Value))], WorkerView(), running, _reservations, at, PreemptionRules.Default);
        _policyTime.Stop();

        foreach (var plan in plans)
        {
            _preemptionReservations.Add(plan.Reservation);
            foreach (var victim in plan.Victims)
            {
                var run = _byId[victim.RunId];
                _preemptions++;
                _atRisk += PreemptionPolicy.AtRisk(Running(run, now), at);
                run.PreemptedAt.Add(now);

                // Told to checkpoint: it stops progressing now, holds its devices until the checkpoint is done.
                _busy += run.Placement!.DeviceIds.Count * (now - run.SegmentStart);
                run.Remaining -= now - run.SegmentStart;
                run.Draining = true;
                run.Segment++;
                Schedule(now + _setup.CheckpointHours, EventKind.CheckpointDone, run);
            }
        }
    }

    private void Start(SimRun run, Placement placement, double now)
    {
        _queue = _queue.Remove(run.Id);
        run.Placement = placement;
        _running.Add(run);
        run.SegmentStart = now;
        run.FirstStart ??= now;
        run.Segment++;
        if (run.PreemptedAt.Count > 0 && run.Remaining > 0) _resumeLost += placement.DeviceIds.Count * Math.Min(_setup.ResumeHours, run.Remaining);
        var worker = _workerById[placement.WorkerId];
        foreach (var device in placement.DeviceIds) worker.Take(device, run.Id);
        _allocated[run.Trace.Tenant] += placement.DeviceIds.Count;
        if (run.Trace.MemoryGiB > worker.MemoryGiB)
        {
            Schedule(now + _setup.OutOfMemoryAfterHours, EventKind.OutOfMemory, run);
        }
        else
        {
            Schedule(now + run.Remaining, EventKind.Finish, run);
        }
    }

    /// <summary>Ends a running segment (finished or failed): its devices are free again.</summary>
    private void EndSegment(SimRun run, double now)
    {
        _busy += run.Placement!.DeviceIds.Count * (now - run.SegmentStart);
        Release(run);
        run.Segment++;
    }

    private void Release(SimRun run)
    {
        var placement = run.Placement!;
        var worker = _workerById[placement.WorkerId];
        foreach (var device in placement.DeviceIds) worker.Free(device);
        _allocated[run.Trace.Tenant] -= placement.DeviceIds.Count;
        run.Placement = null;
        _running.Remove(run);
    }

    private void Enqueue(SimRun run)
    {
        var trace = run.Trace;
        _queue = _queue.Add(new QueuedRun(
            run.Id, trace.Tenant, 0, T0.AddHours(trace.Arrival), trace.Devices, DeviceKind.Cuda,
            _variant.Classes ? trace.Class : PriorityClass.Normal,
            _variant.MemoryFit ? trace.MemoryGiB * GiB : null));
    }

    private RunningRun Running(SimRun run, double now)
    {
        var placement = run.Placement!;
        var sinceStart = now - run.SegmentStart;
        var checkpoint = run.SegmentStart + Math.Floor(sinceStart / _setup.CheckpointEveryHours) * _setup.CheckpointEveryHours;
        var worker = _workerById[placement.WorkerId];
        return new RunningRun(
            run.Id, run.Trace.Tenant, _variant.Classes ? run.Trace.Class : PriorityClass.Normal, placement.WorkerId, DeviceKind.Cuda,
            placement.DeviceIds.Count, T0.AddHours(checkpoint), [.. run.PreemptedAt.Select(T0.AddHours)],
            _variant.MemoryFit ? worker.MemoryGiB * GiB : null);
    }

    private List<FreeDevice> FreeDevices()
    {
        var free = new List<FreeDevice>();
        foreach (var worker in _workers)
        {
            long? memory = _variant.MemoryFit ? worker.MemoryGiB * GiB : null;
            for (var d = 0; d < worker.DeviceIds.Length; d++)
            {
                if (worker.Owner[d] is null) free.Add(new FreeDevice(worker.Id, worker.DeviceIds[d], DeviceKind.Cuda, memory));
            }
        }

        return free;
    }

    private List<WorkerDevices> WorkerView() =>
        [.. _workers.Select(w => new WorkerDevices(w.Id, DeviceKind.Cuda, w.DeviceIds.Length, w.FreeCount, _variant.MemoryFit ? w.MemoryGiB * GiB : null))];

    /// <summary>Jain's index over allocation / weight among tenants with queued work (the ones a fair share owes something).</summary>
    private void SampleFairness()
    {
        var shares = _setup.Tenants.Where(t => _queue.CountFor(t.Id) > 0).Select(t => _allocated[t.Id] / t.Weight).ToList();
        if (shares.Count < 2) return;
        var sum = shares.Sum();
        var squares = shares.Sum(x => x * x);
        if (squares > 0) _jain.Add(sum * sum / (shares.Count * squares));
    }

    private void Schedule(double time, EventKind kind, SimRun? run) => _events.Enqueue((kind, run, run?.Segment ?? 0), (time, _order++));

    private sealed class SimWorker(string id, int memoryGiB, int devices)
    {
        public string Id { get; } = id;

        public int MemoryGiB { get; } = memoryGiB;

        public string[] DeviceIds { get; } = [.. Enumerable.Range(0, devices).Select(d => $"cuda:{d}")];

        public string?[] Owner { get; } = new string?[devices];

        public int FreeCount { get; private set; } = devices;

        public void Take(string device, string run)
        {
            Owner[Array.IndexOf(DeviceIds, device)] = run;
            FreeCount--;
        }

        public void Free(string device)
        {
            Owner[Array.IndexOf(DeviceIds, device)] = null;
            FreeCount++;
        }
    }
}
