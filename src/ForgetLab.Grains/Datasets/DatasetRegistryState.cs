using System.Collections.Immutable;
using ForgetLab.Contracts.Datasets;

namespace ForgetLab.Grains.Datasets;

/// <summary>A tenant's registered data sets (names, hashes, where the files are; never the files).</summary>
[GenerateSerializer, Alias("forgetlab.DatasetRegistryState")]
public sealed record DatasetRegistryState
{
    [Id(0)] public ImmutableArray<DatasetRecord> Datasets { get; init; } = [];

    /// <summary>Names of deleted data sets: never registered again, so a name never comes to mean other bytes.</summary>
    [Id(1)] public ImmutableArray<string> Deleted { get; init; } = [];
}
