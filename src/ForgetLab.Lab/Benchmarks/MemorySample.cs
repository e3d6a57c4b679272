namespace ForgetLab.Lab.Benchmarks;

/// <summary>
/// Where a process's resident memory is at one step, so growth can be placed: anonymous pages (tensors, the
/// .NET heap, JIT-compiled code) apart from file-backed ones (libtorch's and the runtime's code as it is first
/// touched), and of the anonymous, what the .NET GC has committed and what glibc's malloc holds (in use by live
/// blocks, and kept free inside its arenas, which a step's tensors below the mmap threshold come from).
/// </summary>
public sealed record MemorySample(
    int Step, long ResidentBytes, long AnonymousBytes, long FileBytes, long ManagedCommittedBytes, long MallocInUseBytes, long MallocFreeBytes)
{
    /// <summary>The process as it is now, labelled <paramref name="step"/>.</summary>
    public static MemorySample Now(int step)
    {
        var (inUse, free) = ProcessMemory.Malloc();
        return new MemorySample(step, ProcessMemory.ResidentBytes(), ProcessMemory.AnonymousBytes(), ProcessMemory.FileBytes(),
            GC.GetGCMemoryInfo().TotalCommittedBytes, inUse, free);
    }
}
