using System.Collections.Immutable;

namespace ForgetLab.Contracts.Baselines;

/// <summary>
/// A base model's baseline table: its hash, whether it is shared by every tenant (a base of the
/// built-in world) or private to one (a tenant's own model), and one entry per suite definition.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.BaselineView")]
public sealed record BaselineView(
    [property: Id(0)] string ModelHash,
    [property: Id(1)] bool Shared,
    [property: Id(2)] ImmutableArray<BaselineEntry> Suites);
