using System.Collections.Immutable;

namespace ForgetLab.Contracts.Experiments;

/// <summary>The search's decision at one rung: when, over which live runs, and which it stopped with their reasons.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RungDecision")]
public sealed record RungDecision(
    [property: Id(0)] long Step,
    [property: Id(1)] DateTimeOffset DecidedAt,
    [property: Id(2)] ImmutableArray<string> Compared,
    [property: Id(3)] ImmutableArray<RungStop> Stopped);
