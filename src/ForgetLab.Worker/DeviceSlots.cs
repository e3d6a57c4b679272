using System.Collections.Immutable;
using ForgetLab.Contracts.Pool;

namespace ForgetLab.Worker;

/// <summary>
/// Parses <c>--devices</c>: <c>cpu:2</c> is two CPU slots (cpu:0, cpu:1); <c>cuda:0,cuda:1</c> names GPUs. Each device
/// reports its memory, which the pool places runs by: a CPU slot an equal share of <paramref name="ramBytes"/>
/// (<see cref="HostMemory"/>), a GPU its total memory (<paramref name="cudaBytes"/>, <see cref="CudaMemory"/>), each at most
/// <paramref name="capBytes"/> when the operator sets one (<c>ForgetLab:Worker:DeviceMemoryGb</c>: memory kept for other work).
/// A device whose memory is not known reports none, and takes only runs with no memory need.
/// </summary>
public static class DeviceSlots
{
    public static ImmutableArray<WorkerDevice> Parse(string text, long? ramBytes = null, Func<int, long?>? cudaBytes = null, long? capBytes = null)
    {
        var devices = ImmutableArray.CreateBuilder<WorkerDevice>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (kind, rest) = part.IndexOf(':') is var i and >= 0 ? (part[..i], part[(i + 1)..]) : (part, "");
            switch (kind.ToLowerInvariant())
            {
                case "cpu":
                    var slots = rest.Length == 0 ? 1 : int.TryParse(rest, out var n) && n > 0 ? n : throw Bad(text, $"'{part}': cpu:N needs N ≥ 1");
                    for (var s = 0; s < slots; s++) devices.Add(new WorkerDevice($"cpu:{devices.Count(d => d.Kind == "cpu")}", "cpu"));
                    break;
                case "cuda":
                    if (!int.TryParse(rest, out var index) || index < 0) throw Bad(text, $"'{part}': cuda:N needs a device index");
                    devices.Add(new WorkerDevice($"cuda:{index}", "cuda", Capped(cudaBytes?.Invoke(index), capBytes)));
                    break;
                default:
                    throw Bad(text, $"'{part}': devices are cpu:N or cuda:N");
            }
        }
        if (devices.Count == 0) throw Bad(text, "no devices");
        if (devices.Select(d => d.DeviceId).Distinct().Count() != devices.Count) throw Bad(text, "a device is named twice");
        var cpuSlots = devices.Count(d => d.Kind == "cpu");
        if (ramBytes is > 0 && cpuSlots > 0)
        {
            for (var i = 0; i < devices.Count; i++)
            {
                if (devices[i].Kind == "cpu") devices[i] = devices[i] with { MemoryBytes = Capped(ramBytes.Value / cpuSlots, capBytes) };
            }
        }

        return devices.ToImmutable();
    }

    private static long? Capped(long? bytes, long? cap) => bytes is { } b && b > 0 ? cap is { } c ? Math.Min(b, c) : b : null;

    private static ArgumentException Bad(string text, string why) => new($"--devices '{text}': {why}");
}
