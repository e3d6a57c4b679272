using System.Collections.Immutable;

namespace ForgetLab.Core.Scheduling;

/// <summary>
/// The queued runs, kept sorted per tenant and per shape (kind, devices) so a decision round reads
/// each tenant's best fitting run without scanning or sorting the queue. Immutable: adding or
/// removing a run costs O(log n) and returns a new queue, so a round stays a pure function of
/// its inputs.
/// </summary>
public sealed class RunQueue
{
    private readonly ImmutableDictionary<string, QueuedRun> _byId;
    private readonly ImmutableSortedDictionary<string, TenantRuns> _byTenant;
    private readonly ImmutableSortedSet<QueuedRun> _gangs; // multi-device runs, oldest first: gang reservation reads the longest-waiting

    private RunQueue(ImmutableDictionary<string, QueuedRun> byId, ImmutableSortedDictionary<string, TenantRuns> byTenant, ImmutableSortedSet<QueuedRun> gangs)
    {
        _byId = byId;
        _byTenant = byTenant;
        _gangs = gangs;
    }

    public static RunQueue Empty { get; } = new(
        ImmutableDictionary.Create<string, QueuedRun>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, TenantRuns>(StringComparer.Ordinal),
        ImmutableSortedSet.Create<QueuedRun>(ByAge.Instance));

    /// <summary>Builds a queue in O(n log n); run ids must be unique.</summary>
    public static RunQueue From(IEnumerable<QueuedRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var byId = ImmutableDictionary.CreateBuilder<string, QueuedRun>(StringComparer.Ordinal);
        var groups = new Dictionary<string, Dictionary<RunShape, List<QueuedRun>>>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            Validate(run);
            if (!byId.TryAdd(run.RunId, run))
            {
                throw new ArgumentException($"Run '{run.RunId}' is queued twice.", nameof(runs));
            }

            if (!groups.TryGetValue(run.TenantId, out var shapes))
            {
                groups[run.TenantId] = shapes = [];
            }

            var shape = ShapeOf(run);
            if (!shapes.TryGetValue(shape, out var list))
            {
                shapes[shape] = list = [];
            }

            list.Add(run);
        }

        var byTenant = ImmutableSortedDictionary.CreateBuilder<string, TenantRuns>(StringComparer.Ordinal);
        foreach (var (tenant, shapes) in groups)
        {
            var sets = shapes.ToImmutableDictionary(pair => pair.Key, pair => pair.Value.ToImmutableSortedSet(RunOrder.Instance));
            byTenant[tenant] = new TenantRuns(sets, sets.Values.Sum(set => set.Count));
        }

        var gangs = byId.Values.Where(run => run.DevicesNeeded > 1).ToImmutableSortedSet(ByAge.Instance);
        return new RunQueue(byId.ToImmutable(), byTenant.ToImmutable(), gangs);
    }

    /// <summary>Number of queued runs.</summary>
    public int Count => _byId.Count;

    /// <summary>Number of tenants with at least one queued run.</summary>
    public int TenantCount => _byTenant.Count;

    /// <summary>Tenants with at least one queued run, in ordinal order.</summary>
    public IEnumerable<string> Tenants => _byTenant.Keys;

    public bool Contains(string runId) => _byId.ContainsKey(runId);

    /// <summary>The queued run with this id, or null.</summary>
    public QueuedRun? Find(string runId) => _byId.GetValueOrDefault(runId);

    /// <summary>The tenant's first queued run in class-priority-age order, or null when it has none.</summary>
    public QueuedRun? Head(string tenantId) => _byTenant.TryGetValue(tenantId, out var runs) ? runs.Head : null;

    /// <summary>Queued multi-device runs, longest waiting first (enqueue time, then run id).</summary>
    public IEnumerable<QueuedRun> GangsByAge => _gangs;

    public int CountFor(string tenantId) => _byTenant.TryGetValue(tenantId, out var runs) ? runs.Count : 0;

    /// <summary>Adds a run; its id must not be queued already.</summary>
    public RunQueue Add(QueuedRun run)
    {
        Validate(run);
        if (_byId.ContainsKey(run.RunId))
        {
            throw new ArgumentException($"Run '{run.RunId}' is queued already.", nameof(run));
        }

        var shape = ShapeOf(run);
        var tenant = _byTenant.GetValueOrDefault(run.TenantId) ?? TenantRuns.None;
        var set = tenant.Shapes.GetValueOrDefault(shape) ?? ImmutableSortedSet.Create<QueuedRun>(RunOrder.Instance);
        var updated = new TenantRuns(tenant.Shapes.SetItem(shape, set.Add(run)), tenant.Count + 1);
        return new RunQueue(_byId.Add(run.RunId, run), _byTenant.SetItem(run.TenantId, updated), run.DevicesNeeded > 1 ? _gangs.Add(run) : _gangs);
    }

    /// <summary>Removes a run (placed or cancelled); an id not queued leaves the queue as it is.</summary>
    public RunQueue Remove(string runId)
    {
        if (!_byId.TryGetValue(runId, out var run))
        {
            return this;
        }

        var shape = ShapeOf(run);
        var tenant = _byTenant[run.TenantId];
        var set = tenant.Shapes[shape].Remove(run);
        var shapes = set.IsEmpty ? tenant.Shapes.Remove(shape) : tenant.Shapes.SetItem(shape, set);
        var byTenant = shapes.IsEmpty
            ? _byTenant.Remove(run.TenantId)
            : _byTenant.SetItem(run.TenantId, new TenantRuns(shapes, tenant.Count - 1));
        return new RunQueue(_byId.Remove(runId), byTenant, run.DevicesNeeded > 1 ? _gangs.Remove(run) : _gangs);
    }

    /// <summary>Removes the runs a decision placed.</summary>
    public RunQueue Without(IEnumerable<Placement> placements)
    {
        ArgumentNullException.ThrowIfNull(placements);
        var queue = this;
        foreach (var placement in placements)
        {
            queue = queue.Remove(placement.RunId);
        }

        return queue;
    }

    /// <summary>Tenants and their runs in ordinal order, as an array built once per queue version: every round reads all of them.</summary>
    internal KeyValuePair<string, TenantRuns>[] ByTenant => _tenantArray ??= [.. _byTenant];

    private KeyValuePair<string, TenantRuns>[]? _tenantArray;

    internal static RunShape ShapeOf(QueuedRun run) => new(run.DeviceKind, run.DevicesNeeded, run.MemoryBytes);

    private static void Validate(QueuedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (string.IsNullOrEmpty(run.RunId)) throw new ArgumentException("A queued run needs a run id.", nameof(run));
        if (string.IsNullOrEmpty(run.TenantId)) throw new ArgumentException($"Run '{run.RunId}': tenantId is empty.", nameof(run));
        if (string.IsNullOrEmpty(run.DeviceKind)) throw new ArgumentException($"Run '{run.RunId}': deviceKind is empty.", nameof(run));
        if (run.DevicesNeeded < 1)
        {
            throw new ArgumentException($"Run '{run.RunId}': devicesNeeded must be at least 1, got {run.DevicesNeeded}.", nameof(run));
        }

        if (!Enum.IsDefined(run.Class))
        {
            throw new ArgumentException($"Run '{run.RunId}': class must be low, normal or high, got {(int)run.Class}.", nameof(run));
        }

        if (run.MemoryBytes is <= 0)
        {
            throw new ArgumentException($"Run '{run.RunId}': memoryBytes must be > 0 when given, got {run.MemoryBytes}.", nameof(run));
        }
    }

    /// <summary>Oldest first, then run id.</summary>
    private sealed class ByAge : IComparer<QueuedRun>
    {
        public static ByAge Instance { get; } = new();

        public int Compare(QueuedRun? x, QueuedRun? y)
        {
            if (ReferenceEquals(x, y)) return 0;
            if (x is null) return -1;
            if (y is null) return 1;
            var byAge = x.EnqueuedAt.CompareTo(y.EnqueuedAt);
            return byAge != 0 ? byAge : string.CompareOrdinal(x.RunId, y.RunId);
        }
    }

    /// <summary>One tenant's runs, a sorted set per shape.</summary>
    internal sealed record TenantRuns(ImmutableDictionary<RunShape, ImmutableSortedSet<QueuedRun>> Shapes, int Count)
    {
        public static TenantRuns None { get; } = new(ImmutableDictionary<RunShape, ImmutableSortedSet<QueuedRun>>.Empty, 0);

        /// <summary>The per-shape sets as an array: a round reads them for every tenant, and enumerating the dictionary is slow.</summary>
        public KeyValuePair<RunShape, ImmutableSortedSet<QueuedRun>>[] ShapeArray { get; } = [.. Shapes];

        /// <summary>The tenant's first run in class-priority-age order, whatever its shape; computed once per queue version.</summary>
        public QueuedRun? Head => _head ??= ShapeArray.Length == 0 ? null : ShapeArray.Select(pair => pair.Value.Min!).Min(RunOrder.Instance);

        private QueuedRun? _head;
    }
}
