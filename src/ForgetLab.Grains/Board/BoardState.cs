using System.Collections.Immutable;
using ForgetLab.Contracts.Board;

namespace ForgetLab.Grains.Board;

/// <summary>The published experiments, oldest publication first.</summary>
[GenerateSerializer, Alias("forgetlab.BoardState")]
public sealed record BoardState
{
    [Id(0)] public ImmutableArray<PublishedExperiment> Experiments { get; init; } = [];
}
