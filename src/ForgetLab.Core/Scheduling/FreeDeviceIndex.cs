namespace ForgetLab.Core.Scheduling;

/// <summary>
/// Free devices of one round, indexed by kind and, within a kind, bucketed by how many free devices
/// each worker has. A run takes the best-fitting worker (fewest free devices that still suffice), so
/// single-device runs fill partly used workers and whole workers stay free for multi-device runs.
/// </summary>
internal sealed class FreeDeviceIndex
{
    private readonly KindPool[] _pools; // ordinal order of kind

    public FreeDeviceIndex(IReadOnlyList<FreeDevice> devices)
    {
        var seen = new HashSet<(string, string)>();
        var byKind = new SortedDictionary<string, SortedDictionary<string, List<string>>>(StringComparer.Ordinal);
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

            if (!seen.Add((device.WorkerId, device.DeviceId)))
            {
                throw new ArgumentException($"Free device '{device.WorkerId}/{device.DeviceId}' is listed twice.", nameof(devices));
            }

            if (!byKind.TryGetValue(device.Kind, out var workers))
            {
                byKind[device.Kind] = workers = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            }

            if (!workers.TryGetValue(device.WorkerId, out var ids))
            {
                workers[device.WorkerId] = ids = [];
            }

            ids.Add(device.DeviceId);
        }

        _pools = byKind.Select(pair => new KindPool(pair.Key, pair.Value)).ToArray();
        Count = devices.Count;
    }

    /// <summary>Free devices left.</summary>
    public int Count { get; private set; }

    /// <summary>True when some worker has <paramref name="devices"/> free devices of the kind (or of any kind).</summary>
    public bool Fits(string kind, int devices) => Find(kind, devices) is not null;

    /// <summary>Takes <paramref name="devices"/> devices on one best-fitting worker, or returns null.</summary>
    public (string WorkerId, IReadOnlyList<string> DeviceIds)? Take(string kind, int devices)
    {
        var pool = Find(kind, devices);
        if (pool is null) return null;
        Count -= devices;
        return pool.Take(devices);
    }

    private KindPool? Find(string kind, int devices)
    {
        foreach (var pool in _pools)
        {
            if ((kind == DeviceKind.Any || pool.Kind == kind) && pool.Fits(devices))
            {
                return pool;
            }
        }

        return null;
    }

    /// <summary>One kind's workers; bucket[c] holds the ordinals of workers with exactly c free devices.</summary>
    private sealed class KindPool
    {
        private readonly string[] _workerIds;
        private readonly string[][] _deviceIds;
        private readonly int[] _taken;
        private readonly SortedSet<int>[] _buckets;

        public KindPool(string kind, SortedDictionary<string, List<string>> workers)
        {
            Kind = kind;
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
