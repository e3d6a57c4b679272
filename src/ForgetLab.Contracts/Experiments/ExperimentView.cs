using System.Collections.Immutable;

namespace ForgetLab.Contracts.Experiments;

/// <summary>An experiment as its tenant sees it: the submitted spec and the runs its grid expanded into.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.ExperimentView")]
public sealed record ExperimentView(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ExperimentId,
    [property: Id(2)] string? Description,
    [property: Id(3)] DateTimeOffset SubmittedAt,
    [property: Id(4)] ImmutableArray<string> RunIds,
    [property: Id(5)] bool Cancelled,
    [property: Id(6)] bool Published,
    [property: Id(7)] string SpecText)
{
    /// <summary>
    /// The runs' base model: architecture, parameters, dtype on disk, tokenizer. Known at submission for a
    /// registered model, else once the first worker has prepared the base; null before.
    /// </summary>
    [Id(8)] public Models.ModelArchitecture? Base { get; init; }

    /// <summary>The search's decisions so far, one per decided rung in step order; empty without a search.</summary>
    [Id(9)] public ImmutableArray<RungDecision> Rungs { get; init; } = [];
}
