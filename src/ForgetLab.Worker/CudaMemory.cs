using System.Runtime.InteropServices;

namespace ForgetLab.Worker;

/// <summary>
/// Each CUDA device's total memory, from the NVIDIA driver (<c>libcuda.so.1</c>: <c>cuInit</c>, <c>cuDeviceGet</c>,
/// <c>cuDeviceTotalMem_v2</c>), which every machine with an NVIDIA driver has. The worker does not load TorchSharp (only
/// its jobs do), and TorchSharp 0.107 has no memory query; libtorch's own <c>torch.cuda.mem_get_info</c> asks the same
/// driver. No context is created, so no device memory is taken. On a machine without the driver (CPU builds, CI) every
/// answer is null, and such a device reports no memory: it takes only runs with no memory need, unless the operator
/// gives <c>ForgetLab:Worker:DeviceMemoryGb</c>. Device N is the driver's N in the worker's own environment.
/// </summary>
public static class CudaMemory
{
    private const int Success = 0;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int CuInit(uint flags);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int CuDeviceGet(out int device, int ordinal);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int CuDeviceTotalMem(out nuint bytes, int device);

    /// <summary>Total bytes of CUDA device <paramref name="ordinal"/>; null when the driver is absent or does not know it.</summary>
    public static long? TotalBytes(int ordinal) => Driver.Value is { } d ? d(ordinal) : null;

    private static readonly Lazy<Func<int, long?>?> Driver = new(Load);

    private static Func<int, long?>? Load()
    {
        if (!NativeLibrary.TryLoad("libcuda.so.1", out var library) && !NativeLibrary.TryLoad("libcuda.so", out library)) return null;
        try
        {
            var init = Marshal.GetDelegateForFunctionPointer<CuInit>(NativeLibrary.GetExport(library, "cuInit"));
            var get = Marshal.GetDelegateForFunctionPointer<CuDeviceGet>(NativeLibrary.GetExport(library, "cuDeviceGet"));
            var total = Marshal.GetDelegateForFunctionPointer<CuDeviceTotalMem>(NativeLibrary.GetExport(library, "cuDeviceTotalMem_v2"));
            if (init(0) != Success) return null;
            return ordinal => get(out var device, ordinal) == Success && total(out var bytes, device) == Success && bytes > 0 ? (long)bytes : null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }
}
