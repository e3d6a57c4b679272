using System.Collections.Immutable;
using ForgetLab.Contracts.Baselines;

namespace ForgetLab.Grains.Baselines;

/// <summary>A base model's recorded baseline entries (small: the per-item outcomes stay in Blob storage).</summary>
[GenerateSerializer, Alias("forgetlab.BaselineState")]
public sealed record BaselineState
{
    [Id(0)] public ImmutableArray<BaselineEntry> Entries { get; init; } = [];
}
