using System.Globalization;

namespace ForgetLab.Worker;

/// <summary>
/// The machine's RAM as the worker's CPU slots report it. <c>/proc/meminfo</c>'s <c>MemTotal</c>, capped by what .NET
/// says this process may use (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>: the container's cgroup limit when
/// there is one). The total, not <c>MemAvailable</c>: the pool asks whether a run could ever fit a device, and what is
/// available moves with every job, this worker's own included. <see cref="AvailableBytes"/> is logged beside it.
/// </summary>
public sealed record HostMemory(long TotalBytes, long? AvailableBytes)
{
    public static HostMemory Read()
    {
        var limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            var (total, available) = ParseMeminfo(File.ReadAllText("/proc/meminfo"));
            return new HostMemory(total is { } t && t > 0 ? Math.Min(t, limit) : limit, available);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new HostMemory(limit, null);
        }
    }

    /// <summary><c>MemTotal</c> and <c>MemAvailable</c> in bytes (the file gives kB, meaning KiB); null where a line is missing.</summary>
    public static (long? Total, long? Available) ParseMeminfo(string text)
    {
        long? total = null, available = null;
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kib)) continue;
            var unit = parts.Length > 2 && parts[2] == "kB" ? 1024L : 1L;
            if (parts[0] == "MemTotal:") total = kib * unit;
            else if (parts[0] == "MemAvailable:") available = kib * unit;
        }
        return (total, available);
    }
}
