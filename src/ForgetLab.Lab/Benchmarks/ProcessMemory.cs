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

    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long Field(string name)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024; // kB
    }
}
