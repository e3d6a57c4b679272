namespace ForgetLab.Core.Scheduling;

/// <summary>A device a worker reported free.</summary>
/// <param name="WorkerId">Reporting worker.</param>
/// <param name="DeviceId">Device on that worker, e.g. "cuda:0" or "cpu:0".</param>
/// <param name="Kind">Its kind, e.g. <see cref="DeviceKind.Cuda"/>.</param>
/// <param name="MemoryBytes">Its memory (a GPU's memory, a CPU slot's share of RAM); null when the worker did not report it, and then it takes only runs that declare no memory.</param>
public sealed record FreeDevice(string WorkerId, string DeviceId, string Kind, long? MemoryBytes = null);
