using System.Globalization;
using System.Text;

namespace ForgetLab.Core.Scheduling;

/// <summary>
/// The pool's tenants (shares and devices held) and its running runs, indexed as the policy reads them and kept up to date by
/// their owner as tenants change, leases start and end and checkpoints land. <see cref="FairSharePolicy.Decide(PoolIndex, RunQueue, IReadOnlyList{FreeDevice}, IReadOnlyList{GangReservation}?, ClassWeights?)"/>
/// and <see cref="PreemptionPolicy.Plan(PoolIndex, RunQueue, IReadOnlyList{WorkerDevices}, IReadOnlyList{GangReservation}, DateTimeOffset, PreemptionRules)"/>
/// read it instead of rebuilding tenant and allocation dictionaries and passing over every running run per decision: at 100 tenants
/// and 4,000 running runs that rebuild was most of a decision's cost. Each change costs O(1) (a run's kind-and-memory group is
/// found among the few the pool has). Not thread-safe; one owner (the pool grain, a simulation) changes and reads it.
/// </summary>
public sealed class PoolIndex
{
    private const int Classes = (int)PriorityClass.High + 1;

    private readonly HashSet<string> _borrowers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (RunningRun Run, RunGroup Group)> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RunningRun>> _byWorker = new(StringComparer.Ordinal);
    private readonly List<RunGroup> _groups = [];
    private readonly RunGroup _all = new(DeviceKind.Any, null);

    /// <summary>Tenants by id with the devices each holds, validated as <see cref="FairSharePolicy.Decide(IReadOnlyList{TenantShare}, RunQueue, IReadOnlyList{FreeDevice}, IReadOnlyList{Allocation}, IReadOnlyList{GangReservation}?, ClassWeights?)"/> validates them.</summary>
    internal Dictionary<string, TenantEntry> Tenants { get; } = new(StringComparer.Ordinal);

    /// <summary>Running runs by the worker they run on.</summary>
    internal Dictionary<string, List<RunningRun>> RunningByWorker => _byWorker;

    /// <summary>Number of tenants holding devices beyond their guarantee (borrowed, so open to reclaim).</summary>
    internal int Borrowers => _borrowers.Count;

    public int TenantCount => Tenants.Count;

    public int RunningCount => _running.Count;

    /// <summary>An index of these tenants, allocations and running runs; the same checks as the policy's list overloads.</summary>
    public static PoolIndex From(IReadOnlyList<TenantShare> tenants, IReadOnlyList<Allocation> allocations, IReadOnlyList<RunningRun> running)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(allocations);
        ArgumentNullException.ThrowIfNull(running);
        var index = new PoolIndex();
        foreach (var share in tenants)
        {
            Validate(share);
            if (index.Tenants.ContainsKey(share.TenantId)) throw new ArgumentException($"Tenant '{share.TenantId}' is listed twice.", nameof(tenants));
            index.SetShare(share);
        }

        var allocated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var allocation in allocations)
        {
            ArgumentNullException.ThrowIfNull(allocation);
            index.SetHeld(allocation.TenantId, allocation.Devices);
            if (!allocated.Add(allocation.TenantId)) throw new ArgumentException($"Tenant '{allocation.TenantId}' has two allocations.", nameof(allocations));
        }

        foreach (var run in running) index.AddRunning(run);
        return index;
    }

    /// <summary>Adds a tenant or replaces its share (weight, quota, device-hours used).</summary>
    public void SetShare(TenantShare share)
    {
        Validate(share);
        if (Tenants.TryGetValue(share.TenantId, out var entry)) entry.Share = share;
        else Tenants[share.TenantId] = entry = new TenantEntry(share);
        UpdateBorrower(entry);
    }

    /// <summary>Removes a tenant; it must hold no devices.</summary>
    public bool RemoveShare(string tenantId)
    {
        if (!Tenants.TryGetValue(tenantId, out var entry)) return false;
        if (entry.Held > 0) throw new InvalidOperationException($"Tenant '{tenantId}' still holds {entry.Held} devices.");
        _borrowers.Remove(tenantId);
        return Tenants.Remove(tenantId);
    }

    /// <summary>Devices <paramref name="tenantId"/> holds now (its leases, including those checkpointing to leave).</summary>
    public void SetHeld(string tenantId, int devices)
    {
        if (!Tenants.TryGetValue(tenantId, out var entry)) throw new ArgumentException($"Allocation for tenant '{tenantId}', which is not in tenants.", nameof(tenantId));
        if (devices < 0) throw new ArgumentException($"Tenant '{tenantId}': allocated devices must be ≥ 0, got {devices}.", nameof(devices));
        entry.Held = devices;
        UpdateBorrower(entry);
    }

    /// <summary>Adds <paramref name="delta"/> devices (negative when a lease ends) to what the tenant holds.</summary>
    public void AddHeld(string tenantId, int delta) => SetHeld(tenantId, HeldBy(tenantId) + delta);

    public int HeldBy(string tenantId) => Tenants.TryGetValue(tenantId, out var entry) ? entry.Held : 0;

    public bool HasTenant(string tenantId) => Tenants.ContainsKey(tenantId);

    /// <summary>The record of a running run; null when it is not running.</summary>
    public RunningRun? Running(string runId) => _running.TryGetValue(runId, out var entry) ? entry.Run : null;

    /// <summary>
    /// The index as text, one line per tenant (share, devices held) and per running run, in ordinal order: two indexes that describe
    /// the same pool read the same, whatever order their changes came in (how an owner checks an index it keeps against one rebuilt).
    /// </summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var (id, entry) in Tenants.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var quota = entry.Share.Quota;
            text.Append(CultureInfo.InvariantCulture, $"tenant {id}: weight {entry.Share.Weight:R}, max {quota.MaxConcurrentDevices}, budget {quota.DeviceHoursBudget:R}, ")
                .Append(CultureInfo.InvariantCulture, $"used {quota.DeviceHoursUsed:R}, guaranteed {quota.GuaranteedDevices}, holds {entry.Held}\n");
        }

        foreach (var (id, (run, _)) in _running.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"run {id}: {run.TenantId} {run.Class} on {run.WorkerId} {run.Kind} x{run.Devices} {run.MemoryBytes?.ToString(CultureInfo.InvariantCulture) ?? "-"} B, ")
                .Append(CultureInfo.InvariantCulture, $"checkpoint {run.LastCheckpointAt:O}, preempted [{string.Join(", ", run.PreemptedAt.Select(at => at.ToString("O", CultureInfo.InvariantCulture)))}]\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// Adds a run that may be preempted (holding devices, not already checkpointing to leave). Its record is the run as preemption sees
    /// it: replace it (<see cref="UpdateRunning"/>) when its checkpoint or preemption history changes, never change its lists in place.
    /// </summary>
    public void AddRunning(RunningRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(run.PreemptedAt);
        if (_running.ContainsKey(run.RunId)) throw new ArgumentException($"Run '{run.RunId}' is running already.", nameof(run));
        if (!Enum.IsDefined(run.Class)) throw new ArgumentException($"Run '{run.RunId}': class must be low, normal or high, got {(int)run.Class}.", nameof(run));
        var group = GroupOf(run.Kind, run.MemoryBytes);
        group.Add(run);
        _all.Add(run);
        _running[run.RunId] = (run, group);
        if (!_byWorker.TryGetValue(run.WorkerId, out var here)) _byWorker[run.WorkerId] = here = [];
        here.Add(run);
    }

    /// <summary>Removes a run (its lease ended, or it was asked to checkpoint and leave); false when it was not running.</summary>
    public bool RemoveRunning(string runId)
    {
        if (!_running.Remove(runId, out var entry)) return false;
        entry.Group.Remove(entry.Run);
        _all.Remove(entry.Run);
        var here = _byWorker[entry.Run.WorkerId];
        here.Remove(entry.Run);
        if (here.Count == 0) _byWorker.Remove(entry.Run.WorkerId);
        return true;
    }

    /// <summary>Replaces a running run's record (a new checkpoint, a recorded preemption).</summary>
    public void UpdateRunning(RunningRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!RemoveRunning(run.RunId)) throw new ArgumentException($"Run '{run.RunId}' is not running.", nameof(run));
        AddRunning(run);
    }

    /// <summary>
    /// True when an unprotected running run of a class lower than <paramref name="head"/>'s holds devices of a kind and memory that
    /// suit it: without one, the head has no victim for its class anywhere. O(classes + groups), plus the runs of those classes
    /// preempted before (the only ones protection can apply to).
    /// </summary>
    internal bool HasBelow(QueuedRun head, DateTimeOffset now, PreemptionRules rules)
    {
        // A rule that protects after no preemptions protects every run.
        if (rules.ProtectAfter <= 0 || !_all.HasUnprotectedBelow(head.Class, now, rules)) return false;
        foreach (var group in _groups)
        {
            if ((head.DeviceKind == DeviceKind.Any || head.DeviceKind == group.Kind) && FreeDeviceIndex.MemoryFits(group.MemoryBytes, head.MemoryBytes)
                && group.HasUnprotectedBelow(head.Class, now, rules))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The one tenant holding borrowed devices when there is exactly one; otherwise null.</summary>
    internal string? SoleBorrower
    {
        get
        {
            if (_borrowers.Count != 1) return null;
            foreach (var tenantId in _borrowers) return tenantId;
            return null;
        }
    }

    private void UpdateBorrower(TenantEntry entry)
    {
        if (entry.Share.Quota.Borrowed(entry.Held) > 0) _borrowers.Add(entry.Share.TenantId);
        else _borrowers.Remove(entry.Share.TenantId);
    }

    private RunGroup GroupOf(string kind, long? memoryBytes)
    {
        foreach (var group in _groups)
        {
            if (group.MemoryBytes == memoryBytes && string.Equals(group.Kind, kind, StringComparison.Ordinal)) return group;
        }

        var added = new RunGroup(kind, memoryBytes);
        _groups.Add(added);
        return added;
    }

    /// <summary>The checks of a tenant's share, shared by the index and the policy's list overloads.</summary>
    internal static void Validate(TenantShare share)
    {
        ArgumentNullException.ThrowIfNull(share);
        ArgumentNullException.ThrowIfNull(share.Quota);
        if (string.IsNullOrEmpty(share.TenantId)) throw new ArgumentException("A tenant share needs a tenant id.", nameof(share));
        if (!(share.Weight > 0) || !double.IsFinite(share.Weight))
        {
            throw new ArgumentException($"Tenant '{share.TenantId}': weight must be a finite number > 0, got {share.Weight}.", nameof(share));
        }

        if (share.Quota.MaxConcurrentDevices < 0)
        {
            throw new ArgumentException($"Tenant '{share.TenantId}': quota.maxConcurrentDevices must be ≥ 0, got {share.Quota.MaxConcurrentDevices}.", nameof(share));
        }

        if (double.IsNaN(share.Quota.DeviceHoursBudget) || double.IsNaN(share.Quota.DeviceHoursUsed))
        {
            throw new ArgumentException($"Tenant '{share.TenantId}': quota device-hours must be numbers.", nameof(share));
        }
    }

    /// <summary>A tenant's share and the devices it holds: one lookup per tenant in a decision.</summary>
    internal sealed class TenantEntry(TenantShare share)
    {
        public TenantShare Share { get; set; } = share;

        public int Held { get; set; }
    }

    /// <summary>
    /// Running runs of one kind and memory, counted per class: runs never preempted cannot be protected and are only counted; runs
    /// preempted before are kept, because whether protection holds depends on the window and the time of the decision.
    /// </summary>
    private sealed class RunGroup(string kind, long? memoryBytes)
    {
        private readonly int[] _neverPreempted = new int[Classes];
        private readonly HashSet<RunningRun>?[] _preempted = new HashSet<RunningRun>?[Classes];

        public string Kind { get; } = kind;

        public long? MemoryBytes { get; } = memoryBytes;

        public void Add(RunningRun run)
        {
            if (run.PreemptedAt.Count == 0) _neverPreempted[(int)run.Class]++;
            else (_preempted[(int)run.Class] ??= new HashSet<RunningRun>(ReferenceEqualityComparer.Instance)).Add(run);
        }

        public void Remove(RunningRun run)
        {
            // The record removed is the one added; found among the preempted runs or else counted as never preempted.
            if (_preempted[(int)run.Class]?.Remove(run) != true) _neverPreempted[(int)run.Class]--;
        }

        public bool HasUnprotectedBelow(PriorityClass headClass, DateTimeOffset now, PreemptionRules rules)
        {
            for (var c = 0; c < (int)headClass; c++)
            {
                if (_neverPreempted[c] > 0) return true;
                foreach (var run in _preempted[c] ?? [])
                {
                    if (!(run.PreemptedAt.Count >= rules.ProtectAfter && rules.Protects(run, now))) return true;
                }
            }

            return false;
        }
    }
}
