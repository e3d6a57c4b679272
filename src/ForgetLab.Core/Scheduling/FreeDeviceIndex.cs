namespace ForgetLab.Core.Scheduling;

/// <summary>
/// Free devices of one round, indexed by kind and memory and, within those, bucketed by how many
/// free devices each worker has. A run takes the best-fitting worker (fewest free devices that still
/// suffice) in the smallest memory that suffices, so single-device runs fill partly used workers,
/// small runs leave large-memory devices alone, and whole workers stay free for multi-device runs.
/// Devices of withheld (reserved) workers are kept apart: only their reserving runs take them.
/// </summary>
internal sealed class FreeDeviceIndex
{
    private readonly KindPool[] _pools; // kind ordinal, then memory ascending (unknown first)
    private readonly Dictionary<string, List<FreeDevice>>? _withheld;

    public FreeDeviceIndex(IReadOnlyList<FreeDevice> devices, IReadOnlySet<string>? withheld = null)
    {
        var seen = new HashSet<(string, string)>();
        var byKind = new SortedDictionary<(string Kind, long Memory), SortedDictionary<string, List<string>>>(PoolOrder.Instance);
        foreach (var device in devices)
        {
            ArgumentNullException.ThrowIfNull(device);
            if (string.IsNullOrEmpty(device.WorkerId) || string.IsNullOrEmpty(device.DeviceId) || string.IsNullOrEmpty(device.Kind))
            {
                throw new ArgumentException($"Free device '{device.WorkerId}/{device.DeviceId}' needs a worker id, a device id and a kind.", nameof(devices));
            }

            if (device.Kind == DeviceKind.Any)
            {
                throw new ArgumentException($"Free device '{device.WorkerId}/{device.DeviceId}' has kind '{DeviceKind.Any}', which only runs may ask for.", nameof(devices));
            }

            if (device.MemoryBytes is < 0)
            {
                throw new ArgumentException($"Free device '{device.WorkerId}/{device.DeviceId}': memory must be ≥ 0 bytes, got {device.MemoryBytes}.", nameof(devices));
            }

            if (!seen.Add((device.WorkerId, device.DeviceId)))
            {
                throw new ArgumentException($"Free device '{device.WorkerId}/{device.DeviceId}' is listed twice.", nameof(devices));
            }

            if (withheld is not null && withheld.Contains(device.WorkerId))
            {
                _withheld ??= new Dictionary<string, List<FreeDevice>>(StringComparer.Ordinal);
                if (!_withheld.TryGetValue(device.WorkerId, out var held)) _withheld[device.WorkerId] = held = [];
                held.Add(device);
                continue;
            }

            var key = (device.Kind, device.MemoryBytes ?? -1);
            if (!byKind.TryGetValue(key, out var workers))
            {
                byKind[key] = workers = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            }

            if (!workers.TryGetValue(device.WorkerId, out var ids))
            {
                workers[device.WorkerId] = ids = [];
            }

            ids.Add(device.DeviceId);
            Count++;
        }

        _pools = byKind.Select(pair => new KindPool(pair.Key.Kind, pair.Key.Memory, pair.Value)).ToArray();
    }

    /// <summary>Free devices left outside withheld workers.</summary>
    public int Count { get; private set; }

    /// <summary>True when some worker has <paramref name="devices"/> free devices of the kind (or of any kind) with the memory.</summary>
    public bool Fits(string kind, int devices, long? memoryBytes) => Find(kind, devices, memoryBytes) is not null;

    /// <summary>Takes <paramref name="devices"/> devices on one best-fitting worker, or returns null.</summary>
    public (string WorkerId, IReadOnlyList<string> DeviceIds)? Take(string kind, int devices, long? memoryBytes)
    {
        var pool = Find(kind, devices, memoryBytes);
        if (pool is null) return null;
        Count -= devices;
        return pool.Take(devices);
    }

    /// <summary>Takes the devices of a withheld worker for the run it is reserved for, or returns null when they do not suffice yet.</summary>
    public IReadOnlyList<string>? TakeWithheld(string workerId, string kind, int devices, long? memoryBytes)
    {
        if (_withheld is null || !_withheld.TryGetValue(workerId, out var free)) return null;
        var suitable = free
            .Where(d => (kind == DeviceKind.Any || d.Kind == kind) && MemoryFits(d.MemoryBytes, memoryBytes))
            .GroupBy(d => d.Kind, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .FirstOrDefault(g => g.Count() >= devices);
        if (suitable is null) return null;
        var ids = suitable.Select(d => d.DeviceId).Order(StringComparer.Ordinal).Take(devices).ToArray();
        free.RemoveAll(d => ids.Contains(d.DeviceId));
        return ids;
    }

    /// <summary>A device of unknown memory takes only runs that declare none.</summary>
    internal static bool MemoryFits(long? deviceBytes, long? runBytes) => runBytes is not { } need || deviceBytes is { } have && have >= need;

    private KindPool? Find(string kind, int devices, long? memoryBytes)
    {
        foreach (var pool in _pools)
        {
            if ((kind == DeviceKind.Any || pool.Kind == kind) && MemoryFits(pool.Memory < 0 ? null : pool.Memory, memoryBytes) && pool.Fits(devices))
            {
                return pool;
            }
        }

        return null;
    }

    /// <summary>Kind ordinal, then memory ascending, so a run takes the smallest memory that suffices.</summary>
    private sealed class PoolOrder : IComparer<(string Kind, long Memory)>
    {
        public static PoolOrder Instance { get; } = new();

        public int Compare((string Kind, long Memory) x, (string Kind, long Memory) y)
        {
            var byKind = string.CompareOrdinal(x.Kind, y.Kind);
            return byKind != 0 ? byKind : x.Memory.CompareTo(y.Memory);
        }
    }

    /// <summary>One kind's workers at one memory size; bucket[c] holds the ordinals of workers with exactly c free devices.</summary>
    private sealed class KindPool
    {
        private readonly string[] _workerIds;
        private readonly string[][] _deviceIds;
        private readonly int[] _taken;
        private readonly SortedSet<int>[] _buckets;

        public KindPool(string kind, long memory, SortedDictionary<string, List<string>> workers)
        {
            Kind = kind;
            Memory = memory;
            _workerIds = workers.Keys.ToArray();
            _deviceIds = workers.Values.Select(ids => ids.Order(StringComparer.Ordinal).ToArray()).ToArray();
            _taken = new int[_workerIds.Length];
            var most = _deviceIds.Max(ids => ids.Length);
            _buckets = Enumerable.Range(0, most + 1).Select(_ => new SortedSet<int>()).ToArray();
            for (var worker = 0; worker < _workerIds.Length; worker++)
            {
                _buckets[_deviceIds[worker].Length].Add(worker);
            }
        }

        public string Kind { get; }

        /// <summary>Bytes per device; −1 when unknown.</summary>
        public long Memory { get; }

        public bool Fits(int devices) => BestFit(devices) >= 0;

        public (string WorkerId, IReadOnlyList<string> DeviceIds) Take(int devices)
        {
            var worker = BestFit(devices);
            var free = _deviceIds[worker].Length - _taken[worker];
            _buckets[free].Remove(worker);
            _buckets[free - devices].Add(worker);
            var ids = _deviceIds[worker].AsSpan(_taken[worker], devices).ToArray();
            _taken[worker] += devices;
            return (_workerIds[worker], ids);
        }

        /// <summary>The worker with the fewest free devices that still suffice (lowest worker id among equals), or -1.</summary>
        private int BestFit(int devices)
        {
            for (var free = devices; free < _buckets.Length; free++)
            {
                if (_buckets[free].Count > 0) return _buckets[free].Min;
            }

            return -1;
        }
    }
}
