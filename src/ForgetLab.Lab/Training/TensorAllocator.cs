using System.Globalization;
using System.Runtime.InteropServices;

namespace ForgetLab.Lab.Training;

/// <summary>
/// The one place that sets how glibc's malloc serves libtorch's CPU tensors, for lab runs and for the benchmarks
/// that must measure what lab runs do. glibc serves blocks over its mmap threshold with mmap (pages go back to the
/// system on free) but by default raises that threshold to the size of each such block freed (up to 32 MiB), after
/// which the same tensors come from heap arenas that keep their pages: on the reference model the training peak was
/// 35% above the live tensors and crept up step after step (docs/benchmarks.md, "Memory"). Pinning the threshold
/// turns that dynamic rise off; the trim threshold is pinned with it at twice the mmap threshold (glibc's own
/// pairing when it moves the threshold), so the heap's top is not returned and refaulted on every step. Which
/// threshold the lab pins was chosen by the A/B in docs/benchmarks.md, "Allocator setting".
/// </summary>
public static class TensorAllocator
{
    /// <summary>The mmap threshold lab runs pin (bytes); <see cref="Core.Models.MemoryEstimate"/> is checked against peaks measured with it.</summary>
    public const int LabMmapThresholdBytes = 128 * 1024;

    private const int TrimThreshold = -1;   // M_TRIM_THRESHOLD in malloc.h
    private const int MmapThreshold = -3;   // M_MMAP_THRESHOLD in malloc.h; setting it turns the dynamic threshold off
    private static int pinned;

    /// <summary>The malloc mode of this process as benchmark lines print it: <c>glibc-default</c> or <c>mmap-128KiB</c>.</summary>
    public static string Mode { get; private set; } = "glibc-default";

    /// <summary>Pins the lab's setting (<see cref="LabMmapThresholdBytes"/>) for this process.</summary>
    public static void ReturnFreedMemory() => Pin(LabMmapThresholdBytes);

    /// <summary>
    /// Pins glibc's mmap threshold at <paramref name="mmapThresholdBytes"/> and its trim threshold at twice that, once per
    /// process (a later call changes nothing); a no-op off Linux or off glibc. Returns whether this call set them.
    /// </summary>
    public static bool Pin(int mmapThresholdBytes)
    {
        // glibc caps the mmap threshold at HEAP_MAX/2 = 32 MiB on 64-bit; mallopt refuses larger values.
        ArgumentOutOfRangeException.ThrowIfLessThan(mmapThresholdBytes, 4096);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mmapThresholdBytes, 32 * 1024 * 1024);
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref pinned, 1) == 1) return false;
        try
        {
            if (mallopt(MmapThreshold, mmapThresholdBytes) == 1 && mallopt(TrimThreshold, 2 * mmapThresholdBytes) == 1)
                Mode = Describe(mmapThresholdBytes);
            return true;
        }
        catch (EntryPointNotFoundException)
        {
            // musl and other C libraries have no mallopt; their allocators are left as they are.
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary><c>mmap-128KiB</c>, <c>mmap-4MiB</c>: a pinned threshold as benchmark lines name it.</summary>
    public static string Describe(int mmapThresholdBytes) => mmapThresholdBytes % (1024 * 1024) == 0
        ? string.Create(CultureInfo.InvariantCulture, $"mmap-{mmapThresholdBytes / (1024 * 1024)}MiB")
        : string.Create(CultureInfo.InvariantCulture, $"mmap-{mmapThresholdBytes / 1024.0:0.#}KiB");

    // DllImport rather than LibraryImport: two ints cross without marshalling, and the project stays free of unsafe code.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
#pragma warning restore SYSLIB1054
}
