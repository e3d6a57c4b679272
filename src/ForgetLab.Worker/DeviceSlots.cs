using System.Collections.Immutable;
using ForgetLab.Contracts.Pool;

namespace ForgetLab.Worker;

/// <summary>
/// Parses <c>--devices</c>: <c>cpu:2</c> is two CPU slots (cpu:0, cpu:1); <c>cuda:0,cuda:1</c> names GPUs. Each CPU
/// slot reports an equal share of <paramref name="ramBytes"/> as its memory, so the pool places a run that declares
/// <c>resources.memory_gb</c> only where it fits; GPUs report no memory yet (a run that declares memory does not go to them).
/// </summary>
public static class DeviceSlots
{
    public static ImmutableArray<WorkerDevice> Parse(string text, long? ramBytes = null)
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
                    devices.Add(new WorkerDevice($"cuda:{index}", "cuda"));
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
                if (devices[i].Kind == "cpu") devices[i] = devices[i] with { MemoryBytes = ramBytes.Value / cpuSlots };
            }
        }

        return devices.ToImmutable();
    }

    private static ArgumentException Bad(string text, string why) => new($"--devices '{text}': {why}");
}
