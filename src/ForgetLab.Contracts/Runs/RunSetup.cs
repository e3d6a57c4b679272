namespace ForgetLab.Contracts.Runs;

/// <summary>
/// Everything a run is created with; the spec text travels with it so a worker needs nothing else. <see cref="MemoryBytes"/>
/// is what the pool places it with (<see cref="RunMemory.PlacementBytes"/> of <see cref="Memory"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RunSetup")]
public sealed record RunSetup(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ExperimentId,
    [property: Id(2)] RunRecipeInfo Recipe,
    [property: Id(3)] string SpecText,
    [property: Id(4)] int Priority,
    [property: Id(5)] string DeviceKind,
    [property: Id(6)] int DevicesNeeded,
    [property: Id(7)] string PriorityClass = "normal",
    [property: Id(8)] long? MemoryBytes = null,
    [property: Id(9)] RunMemory? Memory = null);
