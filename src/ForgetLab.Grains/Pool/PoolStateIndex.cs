using System.Collections.Immutable;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Scheduling;

namespace ForgetLab.Grains.Pool;

/// <summary>
/// What the pool grain reads on every decision, kept beside its state so that no call rebuilds it from the state's lists: the
/// <see cref="PoolIndex"/> the policies read, the queue as a <see cref="RunQueue"/>, and look-ups by id (queued runs, leases,
/// workers, each worker's leases and each run's lease) with the live workers' devices as placement and preemption read them.
/// It is kept equal to what its state describes (<see cref="Build"/>) by applying, after every change of the state (saved or, for
/// what the grain keeps in memory until its next write, not yet), each difference between the state before and after it. What the
/// index holds of the state:
/// <list type="bullet">
/// <item>a share for every tenant with an account, a queued run or a lease (an account's weight and quotas; a tenant without one gets
/// <see cref="TenantAccount.Default"/>), with the devices its leases hold;</item>
/// <item>a running run for every lease not being preempted whose devices are registered: its class, kind and memory (of its first
/// device), its latest checkpoint (its start until one) and when it was preempted before, as preemption reads it.</item>
/// </list>
/// Device-hours used enter a share only where a tenant has a budget, and depend on the time of a decision: <see cref="Refresh"/>
/// sets them before each (a tenant without a budget is never out of device-hours, whatever it used).
/// The state's lists keep their order (an entry is removed where it is, added at the end, or replaced in place), so a difference
/// is found by walking both lists once, comparing references (<see cref="Diff{T}"/>); a list that was reordered costs more but
/// still gives the right difference.
/// </summary>
internal sealed class PoolStateIndex
{
    private readonly Dictionary<string, int> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TenantAccount> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueueEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PoolLease> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _leaseOfRun = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PoolWorker> _workers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _leasesOf = new(StringComparer.Ordinal);

    // The live workers' devices as last built, for a liveness cut: each worker's groups in place, patched when its leases change.
    private List<WorkerDevices>? _view;
    private readonly Dictionary<string, (int Start, int Count)> _viewAt = new(StringComparer.Ordinal);
    private DateTimeOffset _viewOldest;        // the earliest last-seen among the workers in the view
    private DateTimeOffset _viewNewestLeftOut; // the latest last-seen among the workers left out

    private PoolStateIndex(PoolIndex index) => Index = index;

    public PoolIndex Index { get; }

    /// <summary>The queued runs as the policies read them.</summary>
    public RunQueue Queue { get; private set; } = RunQueue.Empty;

    /// <summary>The index of <paramref name="state"/>, as on activation; device-hours as at <paramref name="now"/>.</summary>
    public static PoolStateIndex Build(GpuPoolState state, DateTimeOffset now)
    {
        var kept = new PoolStateIndex(new PoolIndex());
        kept.Apply(new GpuPoolState(), state);
        kept.Refresh(state, now);
        return kept;
    }

    public QueueEntry? Entry(string runKey) => _entries.GetValueOrDefault(runKey);

    public PoolLease? Lease(string leaseId) => _leases.GetValueOrDefault(leaseId);

    /// <summary>True when the run is queued or leased.</summary>
    public bool Knows(string runKey) => _entries.ContainsKey(runKey) || _leaseOfRun.ContainsKey(runKey);

    public PoolWorker? Worker(string workerId) => _workers.GetValueOrDefault(workerId);

    /// <summary>The worker's leases, by lease id.</summary>
    public List<PoolLease> LeasesOf(string workerId) =>
        _leasesOf.TryGetValue(workerId, out var ids) ? [.. ids.Order(StringComparer.Ordinal).Select(id => _leases[id])] : [];

    /// <summary>The worker's registered devices that no lease holds.</summary>
    public List<FreeDevice> FreeOn(WorkerRegistration worker)
    {
        var busy = Busy(worker.WorkerId);
        return [.. (worker.Devices.IsDefault ? [] : worker.Devices).Where(d => !busy.Contains(d.DeviceId)).Select(d => new FreeDevice(worker.WorkerId, d.DeviceId, d.Kind, d.MemoryBytes))];
    }

    /// <summary>
    /// Registered workers heard from since <paramref name="liveSince"/>, their devices grouped by kind and memory with how many no lease
    /// holds, in the state's order. Rebuilt only when a worker registers, leaves or comes back to life, or one in it goes quiet; a lease
    /// granted or ended patches its worker's groups in place. The caller must not change the list.
    /// </summary>
    public IReadOnlyList<WorkerDevices> LiveWorkers(GpuPoolState state, DateTimeOffset liveSince)
    {
        if (_view is not null && _viewOldest >= liveSince && _viewNewestLeftOut < liveSince) return _view;
        _view = [];
        _viewAt.Clear();
        _viewOldest = DateTimeOffset.MaxValue;
        _viewNewestLeftOut = DateTimeOffset.MinValue;
        foreach (var worker in state.Workers)
        {
            if (worker.LastSeen < liveSince)
            {
                if (worker.LastSeen > _viewNewestLeftOut) _viewNewestLeftOut = worker.LastSeen;
                continue;
            }

            if (worker.LastSeen < _viewOldest) _viewOldest = worker.LastSeen;
            var groups = Groups(worker.Registration);
            _viewAt[worker.Registration.WorkerId] = (_view.Count, groups.Count);
            _view.AddRange(groups);
        }

        return _view;
    }

    /// <summary>Registered workers' devices by kind and memory with how many no lease holds, whether heard from lately or not; built per call.</summary>
    public List<WorkerDevices> AllWorkers(GpuPoolState state) => [.. state.Workers.SelectMany(w => Groups(w.Registration))];

    /// <summary>Sets the device-hours of tenants with a budget to what they have used by <paramref name="now"/> (ended and live leases).</summary>
    public void Refresh(GpuPoolState state, DateTimeOffset now)
    {
        Dictionary<string, double>? live = null;
        foreach (var account in _accounts.Values)
        {
            if (account.DeviceHoursBudget is null) continue;
            if (live is null)
            {
                live = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var lease in state.Leases) live[lease.Entry.TenantId] = live.GetValueOrDefault(lease.Entry.TenantId) + lease.DeviceHours(now);
            }

            Index.SetShare(ShareOf(account, live.GetValueOrDefault(account.TenantId)));
        }
    }

    /// <summary>Applies every change from <paramref name="before"/> to <paramref name="after"/>; unchanged lists cost nothing.</summary>
    public void Apply(GpuPoolState before, GpuPoolState after)
    {
        var tenants = new HashSet<string>(StringComparer.Ordinal); // tenants whose presence may have changed
        var touched = new HashSet<string>(StringComparer.Ordinal); // leases whose running record may have changed
        var reregistered = new List<string>();                     // workers whose devices may have changed

        if (before.Workers != after.Workers)
        {
            Diff(before.Workers, after.Workers, w => w.Registration.WorkerId,
                removed: w =>
                {
                    _workers.Remove(w.Registration.WorkerId);
                    reregistered.Add(w.Registration.WorkerId);
                },
                added: w =>
                {
                    _workers[w.Registration.WorkerId] = w;
                    reregistered.Add(w.Registration.WorkerId);
                },
                changed: (old, w) =>
                {
                    _workers[w.Registration.WorkerId] = w;
                    // A worker heard from again changes only its time; one that registers again may bring other devices.
                    if (!DevicesOf(old.Registration).SequenceEqual(DevicesOf(w.Registration))) reregistered.Add(w.Registration.WorkerId);
                    else if (!_viewAt.ContainsKey(w.Registration.WorkerId)) _view = null; // a worker left out may be live again
                });
            if (reregistered.Count > 0) _view = null;
        }

        if (before.Tenants != after.Tenants)
        {
            foreach (var account in after.Tenants)
            {
                if (_accounts.TryGetValue(account.TenantId, out var known) && known == account) continue;
                _accounts[account.TenantId] = account;
                Index.SetShare(ShareOf(account, 0));
            }
        }

        if (before.Queue != after.Queue)
        {
            Diff(before.Queue, after.Queue, e => e.RunKey,
                removed: e => Dequeued(e, tenants),
                added: e => Enqueued(e, tenants),
                changed: (old, e) =>
                {
                    if (old.Equals(e))
                    {
                        _entries[e.RunKey] = e;
                        return;
                    }

                    Dequeued(old, tenants);
                    Enqueued(e, tenants);
                });
        }

        var busyChanged = new HashSet<string>(StringComparer.Ordinal);
        if (before.Leases != after.Leases)
        {
            Diff(before.Leases, after.Leases, l => l.LeaseId,
                removed: lease =>
                {
                    _leases.Remove(lease.LeaseId);
                    _leaseOfRun.Remove(lease.Entry.RunKey);
                    if (_leasesOf.TryGetValue(lease.WorkerId, out var ids) && ids.Remove(lease.LeaseId) && ids.Count == 0) _leasesOf.Remove(lease.WorkerId);
                    busyChanged.Add(lease.WorkerId);
                    Index.AddHeld(lease.Entry.TenantId, -lease.DeviceIds.Length);
                    Index.RemoveRunning(lease.Entry.RunKey);
                    tenants.Add(lease.Entry.TenantId);
                },
                added: lease =>
                {
                    _leases[lease.LeaseId] = lease;
                    _leaseOfRun[lease.Entry.RunKey] = lease.LeaseId;
                    if (!_leasesOf.TryGetValue(lease.WorkerId, out var ids)) _leasesOf[lease.WorkerId] = ids = [];
                    ids.Add(lease.LeaseId);
                    busyChanged.Add(lease.WorkerId);
                    Present(lease.Entry.TenantId);
                    Index.AddHeld(lease.Entry.TenantId, lease.DeviceIds.Length);
                    touched.Add(lease.LeaseId);
                },
                changed: (old, lease) =>
                {
                    _leases[lease.LeaseId] = lease;
                    // A renewal (a heartbeat) moves only the expiry, which preemption does not read.
                    if (old with { ExpiresAt = lease.ExpiresAt } != lease) touched.Add(lease.LeaseId);
                });
        }

        if (before.Preempting != after.Preempting)
        {
            foreach (var p in before.Preempting.Except(after.Preempting).Concat(after.Preempting.Except(before.Preempting))) touched.Add(p.LeaseId);
        }

        foreach (var workerId in reregistered)
        {
            if (_leasesOf.TryGetValue(workerId, out var ids)) touched.UnionWith(ids);
        }

        if (before.Preempted != after.Preempted)
        {
            foreach (var runKey in before.Preempted.Except(after.Preempted).Concat(after.Preempted.Except(before.Preempted)).Select(p => p.RunKey).Distinct(StringComparer.Ordinal))
            {
                if (_leaseOfRun.TryGetValue(runKey, out var leaseId)) touched.Add(leaseId);
            }
        }

        if (touched.Count > 0)
        {
            var preempting = after.Preempting.Select(p => p.LeaseId).ToHashSet(StringComparer.Ordinal);
            foreach (var leaseId in touched)
            {
                if (!_leases.TryGetValue(leaseId, out var lease)) continue;
                var record = preempting.Contains(lease.LeaseId) ? null : RunningOf(lease, _workers.GetValueOrDefault(lease.WorkerId), after.Preempted);
                var known = Index.Running(lease.Entry.RunKey);
                if (record is null) Index.RemoveRunning(lease.Entry.RunKey);
                else if (known is null) Index.AddRunning(record);
                else if (!Same(known, record)) Index.UpdateRunning(record);
            }
        }

        if (_view is not null)
        {
            foreach (var workerId in busyChanged) Patch(workerId);
        }

        // A tenant with no account, nothing queued and nothing held leaves the index, as it is absent from an index built from state.
        foreach (var tenantId in tenants)
        {
            if (!_accounts.ContainsKey(tenantId) && _queued.GetValueOrDefault(tenantId) == 0 && Index.HeldBy(tenantId) == 0) Index.RemoveShare(tenantId);
        }
    }

    /// <summary>
    /// Where the look-ups differ from those <paramref name="state"/> gives (queue, queued runs, leases, workers), in words; null when
    /// they agree. For <see cref="PoolIndexCheck"/>.
    /// </summary>
    public string? Differences(GpuPoolState state)
    {
        var problems = new List<string>();
        var queue = RunQueue.From(state.Queue.Select(GpuPoolGrain.ToQueuedRun));
        if (queue.Count != Queue.Count || state.Queue.Any(e => Queue.Find(e.RunKey) != queue.Find(e.RunKey)))
            problems.Add($"queue: kept {Queue.Count} runs, state {queue.Count}, or a run differs");
        if (_entries.Count != state.Queue.Length || state.Queue.Any(e => !ReferenceEquals(_entries.GetValueOrDefault(e.RunKey), e))) problems.Add("queued entries");
        if (_leases.Count != state.Leases.Length || state.Leases.Any(l => !ReferenceEquals(_leases.GetValueOrDefault(l.LeaseId), l)
            || _leaseOfRun.GetValueOrDefault(l.Entry.RunKey) != l.LeaseId)) problems.Add("leases by id or by run");
        var byWorker = state.Leases.GroupBy(l => l.WorkerId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(l => l.LeaseId).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        if (byWorker.Count != _leasesOf.Count || byWorker.Any(p => !_leasesOf.TryGetValue(p.Key, out var ids) || !ids.Order(StringComparer.Ordinal).SequenceEqual(p.Value)))
            problems.Add("leases by worker");
        if (_workers.Count != state.Workers.Length || state.Workers.Any(w => !ReferenceEquals(_workers.GetValueOrDefault(w.Registration.WorkerId), w))) problems.Add("workers");
        if (_view is not null)
        {
            var built = state.Workers.Where(w => _viewAt.ContainsKey(w.Registration.WorkerId)).SelectMany(w => Groups(w.Registration)).ToList();
            if (!built.SequenceEqual(_view)) problems.Add("live workers' devices");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>The lease's run as preemption sees it; null when its devices are not registered (its worker registered again without them).</summary>
    public static RunningRun? RunningOf(PoolLease lease, GpuPoolState state) =>
        RunningOf(lease, state.Workers.FirstOrDefault(w => w.Registration.WorkerId == lease.WorkerId), state.Preempted);

    private static RunningRun? RunningOf(PoolLease lease, PoolWorker? worker, ImmutableArray<PreemptionStatus> preempted)
    {
        var device = worker?.Registration.Devices is { IsDefault: false } devices
            ? devices.FirstOrDefault(d => d.DeviceId == lease.DeviceIds[0])
            : null;
        if (device is null) return null;
        return new RunningRun(lease.Entry.RunKey, lease.Entry.TenantId, GpuPoolGrain.ClassOf(lease.Entry), lease.WorkerId, device.Kind, lease.DeviceIds.Length,
            lease.LastCheckpointAt ?? lease.GrantedAt, PreemptedAt(preempted, lease.Entry.RunKey), device.MemoryBytes);
    }

    /// <summary>When the run was preempted before (lease ended by the preemption), for loop protection.</summary>
    public static IReadOnlyList<DateTimeOffset> PreemptedAt(GpuPoolState state, string runKey) => PreemptedAt(state.Preempted, runKey);

    private static IReadOnlyList<DateTimeOffset> PreemptedAt(ImmutableArray<PreemptionStatus> preempted, string runKey) =>
        [.. preempted.Where(p => p.RunKey == runKey && p.Outcome != PreemptionOutcomes.LeaseEnded).Select(p => p.AskedAt)];

    /// <summary>
    /// The difference between two lists of entries with unique keys: one walk, comparing references, with removals and replacements
    /// (a new reference under the same key, equal or not) reported in order and additions (what is left of <paramref name="after"/> once the walk stops matching) last, so a key removed
    /// and added again is removed first. Exact whatever the order; costs O(n) reference compares when the lists keep their order.
    /// </summary>
    internal static void Diff<T>(ImmutableArray<T> before, ImmutableArray<T> after, Func<T, string> key, Action<T> removed, Action<T> added, Action<T, T> changed)
        where T : class
    {
        var i = 0;
        var j = 0;
        while (i < before.Length && j < after.Length)
        {
            var (b, a) = (before[i], after[j]);
            if (ReferenceEquals(b, a))
            {
                i++;
                j++;
            }
            else if (string.Equals(key(b), key(a), StringComparison.Ordinal))
            {
                changed(b, a); // perhaps only another copy: the look-ups must hold the state's own
                i++;
                j++;
            }
            else
            {
                removed(b);
                i++;
            }
        }

        for (; i < before.Length; i++) removed(before[i]);
        for (; j < after.Length; j++) added(after[j]);
    }

    private void Enqueued(QueueEntry entry, HashSet<string> tenants)
    {
        _entries[entry.RunKey] = entry;
        Queue = Queue.Add(GpuPoolGrain.ToQueuedRun(entry));
        Count(entry.TenantId, +1, tenants);
    }

    private void Dequeued(QueueEntry entry, HashSet<string> tenants)
    {
        _entries.Remove(entry.RunKey);
        Queue = Queue.Remove(entry.RunKey);
        Count(entry.TenantId, -1, tenants);
    }

    private HashSet<string> Busy(string workerId) =>
        _leasesOf.TryGetValue(workerId, out var ids) ? ids.SelectMany(id => _leases[id].DeviceIds).ToHashSet(StringComparer.Ordinal) : [];

    /// <summary>The worker's devices grouped by kind and memory (in the order the groups first appear), with how many no lease holds.</summary>
    private List<WorkerDevices> Groups(WorkerRegistration registration)
    {
        var busy = Busy(registration.WorkerId);
        return [.. DevicesOf(registration)
            .GroupBy(d => (d.Kind, d.MemoryBytes))
            .Select(g => new WorkerDevices(registration.WorkerId, g.Key.Kind, g.Count(), g.Count(d => !busy.Contains(d.DeviceId)), g.Key.MemoryBytes))];
    }

    /// <summary>A worker's leases changed: its groups in the view are built again in place (same groups, other free counts).</summary>
    private void Patch(string workerId)
    {
        if (_view is null || !_viewAt.TryGetValue(workerId, out var at) || !_workers.TryGetValue(workerId, out var worker)) return;
        var groups = Groups(worker.Registration);
        if (groups.Count != at.Count)
        {
            _view = null;
            return;
        }

        for (var k = 0; k < groups.Count; k++) _view[at.Start + k] = groups[k];
    }

    /// <summary>A tenant's share in the index: device-hours used count only against a budget (<see cref="Refresh"/> keeps them current).</summary>
    private static TenantShare ShareOf(TenantAccount account, double liveHours) => new(
        account.TenantId,
        account.Weight,
        new TenantQuota(
            account.MaxConcurrentDevices, account.DeviceHoursBudget ?? double.PositiveInfinity,
            account.DeviceHoursBudget is null ? 0 : account.DeviceHoursUsed + liveHours, account.GuaranteedDevices));

    private void Count(string tenantId, int delta, HashSet<string> tenants)
    {
        if (delta > 0) Present(tenantId);
        _queued[tenantId] = _queued.GetValueOrDefault(tenantId) + delta;
        if (_queued[tenantId] == 0) _queued.Remove(tenantId);
        tenants.Add(tenantId);
    }

    private void Present(string tenantId)
    {
        if (!Index.HasTenant(tenantId)) Index.SetShare(ShareOf(_accounts.GetValueOrDefault(tenantId) ?? TenantAccount.Default(tenantId), 0));
    }

    private static IEnumerable<WorkerDevice> DevicesOf(WorkerRegistration registration) => registration.Devices.IsDefault ? [] : registration.Devices;

    private static bool Same(RunningRun a, RunningRun b) =>
        a with { PreemptedAt = b.PreemptedAt } == b && a.PreemptedAt.SequenceEqual(b.PreemptedAt);
}
