using System.Runtime.InteropServices;

namespace ForgetLab.Lab.Training;

/// <summary>
/// Makes glibc hand freed tensor memory straight back to the system. libtorch allocates CPU tensors with
/// malloc; glibc serves blocks over its mmap threshold with mmap, but raises that threshold to the size of
/// each such block freed (up to 32 MiB), after which the same tensors come from heap arenas that keep their
/// pages. Measured on the reference model (docs/benchmarks.md, "Memory"): peak RSS 35% above the live
/// tensors and creeping up step after step by default; with the threshold pinned at glibc's 128 KiB default
/// the peak is what the tensors need, which is what <see cref="Core.Models.MemoryEstimate"/> counts.
/// </summary>
public static class TensorAllocator
{
    private const int MmapThreshold = -3;   // M_MMAP_THRESHOLD in malloc.h; setting it turns the dynamic threshold off
    private static int pinned;

    /// <summary>Pins glibc's mmap threshold at 128 KiB for this process (once; a no-op off Linux or off glibc).</summary>
    public static void ReturnFreedMemory()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref pinned, 1) == 1) return;
        try
        {
            _ = mallopt(MmapThreshold, 128 * 1024);
        }
        catch (EntryPointNotFoundException)
        {
            // musl and other C libraries have no mallopt; their allocators are left as they are.
        }
        catch (DllNotFoundException)
        {
        }
    }

    // DllImport rather than LibraryImport: two ints cross without marshalling, and the project stays free of unsafe code.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
#pragma warning restore SYSLIB1054
}
