namespace ForgetLab.Contracts.Runs;

/// <summary>
/// What a run needs in memory on each of its devices, fixed at submission: the estimate from its spec and its base
/// (Core's <c>RunMemoryEstimate</c>), the spec's declared <c>resources.memory_gb</c>, and which one the pool places it
/// with (<see cref="PlacementBytes"/>: the declared figure when there is one, since whoever declares it knows what the
/// estimate cannot — their data's real lengths, a device's own overheads).
/// </summary>
/// <param name="EstimateBytes">The estimated peak; null when the base's shape was not known at submission (see <see cref="Basis"/>).</param>
/// <param name="DeclaredBytes">The spec's <c>resources.memory_gb</c> in bytes; null when not declared.</param>
/// <param name="Basis">How the estimate came about (its phase and terms), or why there is none, as a sentence.</param>
[GenerateSerializer, Immutable, Alias("forgetlab.RunMemory")]
public sealed record RunMemory(
    [property: Id(0)] long? EstimateBytes,
    [property: Id(1)] long? DeclaredBytes,
    [property: Id(2)] string Basis)
{
    /// <summary>What the pool places the run with: declared, else estimated; null when neither is known (then any device takes it).</summary>
    public long? PlacementBytes => DeclaredBytes ?? EstimateBytes;

    /// <summary>"declared" or "estimate" (the source of <see cref="PlacementBytes"/>), or "unknown".</summary>
    public string Source => DeclaredBytes is not null ? "declared" : EstimateBytes is not null ? "estimate" : "unknown";
}
