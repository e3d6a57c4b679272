namespace ForgetLab.Contracts.Runs;

/// <summary>A run's answer to the pool's lease: the work to do, or why the run cannot take it (e.g. it was cancelled while queued).</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.LeaseAcceptance")]
public sealed record LeaseAcceptance(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] RunWork? Work,
    [property: Id(2)] string? Error);
