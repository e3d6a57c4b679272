using System.Collections.Immutable;

namespace ForgetLab.Grains.Experiments;

/// <summary>A tenant's experiment ids, oldest first.</summary>
[GenerateSerializer, Alias("forgetlab.ExperimentDirectoryState")]
public sealed record ExperimentDirectoryState
{
    [Id(0)] public ImmutableArray<string> ExperimentIds { get; init; } = [];
}
