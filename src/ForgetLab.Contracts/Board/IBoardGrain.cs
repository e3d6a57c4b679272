using System.Collections.Immutable;

namespace ForgetLab.Contracts.Board;

/// <summary>
/// The cross-tenant board: which experiments their owners published. Key: <see cref="Key"/> (one
/// board). It holds only ids; the API reads each experiment's reports, never its data or checkpoints.
/// Experiment grains call <see cref="SetPublished"/> when they are published or unpublished.
/// </summary>
[Alias("forgetlab.IBoardGrain")]
public interface IBoardGrain : IGrainWithStringKey
{
    public const string Key = "board";

    /// <summary>Adds or removes an experiment; repeating a call is harmless. The platform's own call (the experiment grain's).</summary>
    [Alias("SetPublished")]
    Task SetPublished(string tenantId, string experimentId, bool published);

    /// <summary>Every published experiment, in publication order.</summary>
    [Alias("List")]
    Task<ImmutableArray<PublishedExperiment>> List();

    [Alias("IsPublished")]
    Task<bool> IsPublished(string tenantId, string experimentId);
}

/// <summary>An experiment on the board.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.PublishedExperiment")]
public sealed record PublishedExperiment(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ExperimentId,
    [property: Id(2)] DateTimeOffset PublishedAt);
