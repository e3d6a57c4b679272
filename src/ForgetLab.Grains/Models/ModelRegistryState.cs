using System.Collections.Immutable;
using ForgetLab.Contracts.Models;

namespace ForgetLab.Grains.Models;

/// <summary>A tenant's registered models (names, hashes, where the files are; never the files).</summary>
[GenerateSerializer, Alias("forgetlab.ModelRegistryState")]
public sealed record ModelRegistryState
{
    [Id(0)] public ImmutableArray<ModelRecord> Models { get; init; } = [];
}
