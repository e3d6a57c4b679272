using System.Collections.Immutable;

namespace ForgetLab.Contracts.Runs;

/// <summary>
/// A checkpoint a worker saved: where it lies, its manifest's SHA-256 (a run resumes only from a
/// checkpoint whose hash matches) and, once evaluated (<see cref="EvaluatedAt"/> set), the score
/// per suite. Scores are a list, not a dictionary, so every storage serializer round-trips them.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.CheckpointRecord")]
public sealed record CheckpointRecord(
    [property: Id(0)] long Step,
    [property: Id(1)] string BlobLocation,
    [property: Id(2)] string Sha256,
    [property: Id(3)] DateTimeOffset SavedAt,
    [property: Id(4)] ImmutableArray<SuiteScore> Scores,
    [property: Id(5)] DateTimeOffset? EvaluatedAt)
{
    /// <summary>Saved off the checkpoint schedule for a preemption: a resumed job trains on from it and does not score it.</summary>
    [Id(6)] public bool ForPreemption { get; init; }
}
