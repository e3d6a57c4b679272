using System.Collections.Immutable;

namespace ForgetLab.Contracts.Pool;

/// <summary>A worker and its devices; registering again replaces the device list.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.WorkerRegistration")]
public sealed record WorkerRegistration(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] ImmutableArray<WorkerDevice> Devices);
