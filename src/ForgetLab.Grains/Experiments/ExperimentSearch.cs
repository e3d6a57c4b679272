using System.Collections.Immutable;

namespace ForgetLab.Grains.Experiments;

/// <summary>An experiment's <c>search:</c> as its grain keeps it: the rung steps in order and the fewest runs kept past each.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.ExperimentSearch")]
public sealed record ExperimentSearch(
    [property: Id(0)] ImmutableArray<long> Rungs,
    [property: Id(1)] int Keep);
