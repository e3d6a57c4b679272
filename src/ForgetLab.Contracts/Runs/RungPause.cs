namespace ForgetLab.Contracts.Runs;

/// <summary>
/// What pausing a run at a search rung did: <see cref="Paused"/> when the run now waits Paused at that rung (also when it
/// already did), with the lease it was held under (the caller gives it back to the pool), or why it could not pause.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RungPause")]
public sealed record RungPause(
    [property: Id(0)] bool Paused,
    [property: Id(1)] LeaseInfo? Lease,
    [property: Id(2)] string? Refusal);
