namespace ForgetLab.Contracts.Pool;

/// <summary>A device a worker offers: "cuda:0" of kind "cuda", or a "cpu:0" slot of kind "cpu".</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.WorkerDevice")]
public sealed record WorkerDevice(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] string Kind);
