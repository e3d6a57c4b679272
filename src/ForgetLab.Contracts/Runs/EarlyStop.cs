namespace ForgetLab.Contracts.Runs;

/// <summary>
/// What stopping a run early did: <see cref="Stopped"/> when the run is now StoppedEarly (also when it already was, for
/// this reason), the state it left and the lease it was held under then (the caller gives that lease back to the pool),
/// or why it could not be stopped (it had ended otherwise).
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.EarlyStop")]
public sealed record EarlyStop(
    [property: Id(0)] bool Stopped,
    [property: Id(1)] RunState From,
    [property: Id(2)] LeaseInfo? Lease,
    [property: Id(3)] string? Refusal);
