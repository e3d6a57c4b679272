using System.Collections.Immutable;

namespace ForgetLab.Contracts.Runs;

/// <summary>The lease a run is held under: which worker, which devices.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.LeaseInfo")]
public sealed record LeaseInfo(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] string WorkerId,
    [property: Id(2)] ImmutableArray<string> DeviceIds);
