using System.Runtime.InteropServices;

namespace ForgetLab.Lab.Benchmarks;

/// <summary>
/// This process's resident memory from Linux's <c>/proc/self/status</c>: <c>VmRSS</c> now and <c>VmHWM</c>, its
/// high-water mark, which <see cref="ResetPeak"/> sets back to the current RSS (<c>clear_refs</c> 5), so one
/// phase's peak can be read apart from what the process did before.
/// </summary>
public static class ProcessMemory
{
    public static long ResidentBytes() => Field("VmRSS:");

    public static long PeakResidentBytes() => Field("VmHWM:");

    /// <summary>Resident anonymous pages (<c>RssAnon</c>): heaps, tensors, JIT-compiled code, thread stacks.</summary>
    public static long AnonymousBytes() => Field("RssAnon:");

    /// <summary>Resident file-backed pages (<c>RssFile</c>): mapped libraries' code and data as far as touched.</summary>
    public static long FileBytes() => Field("RssFile:");

    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>
    /// glibc malloc's bytes in live blocks (<c>uordblks</c> + <c>hblkhd</c>, the mmapped ones) and free bytes it
    /// keeps inside its arenas (<c>fordblks</c>), over all arenas (<c>mallinfo2</c>); zeros off glibc.
    /// </summary>
    public static (long InUse, long Free) Malloc()
    {
        try
        {
            var m = mallinfo2();
            return ((long)(m.Uordblks + m.Hblkhd), (long)m.Fordblks);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return (0, 0);
        }
    }

    private static long Field(string name)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024; // kB
    }

    /// <summary>glibc's <c>struct mallinfo2</c> (2.33+): ten <c>size_t</c> fields.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallInfo2
    {
        public readonly nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    // DllImport as TensorAllocator's mallopt: a blittable struct returned by value, no unsafe code.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 mallinfo2();
#pragma warning restore SYSLIB1054
}
