namespace ForgetLab.Contracts.Pool;

/// <summary>
/// A device a worker offers: "cuda:0" of kind "cuda", or a "cpu:0" slot of kind "cpu", with its memory (a GPU's
/// memory, a CPU slot's share of RAM) when the worker knows it; a run that declares memory goes only where it fits.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.WorkerDevice")]
public sealed record WorkerDevice(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] string Kind,
    [property: Id(2)] long? MemoryBytes = null);
