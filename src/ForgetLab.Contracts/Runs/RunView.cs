using System.Collections.Immutable;

namespace ForgetLab.Contracts.Runs;

/// <summary>A run as its tenant sees it, with its checkpoints, full transition log and loss curve.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RunView")]
public sealed record RunView(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ExperimentId,
    [property: Id(2)] RunRecipeInfo Recipe,
    [property: Id(3)] RunState State,
    [property: Id(4)] long LastStep,
    [property: Id(5)] double? LastTrainLoss,
    [property: Id(6)] LeaseInfo? Lease,
    [property: Id(7)] ImmutableArray<CheckpointRecord> Checkpoints,
    [property: Id(8)] ImmutableArray<RunTransition> Transitions,
    [property: Id(9)] int Attempts)
{
    /// <summary>The training loss per reported step, in step order, at most 512 points (thinned evenly as the run goes on).</summary>
    [Id(10)] public ImmutableArray<LossPoint> LossHistory { get; init; } = [];

    /// <summary>Its memory need per device (estimated and declared) and which one the pool places it with.</summary>
    [Id(11)] public RunMemory? Memory { get; init; }

    /// <summary>
    /// While queued, why no registered worker could ever take it (for example
    /// "needs 9.3 GiB; the largest cuda device has 8.0 GiB (worker w1 cuda:0)"); null otherwise. Read from the pool.
    /// </summary>
    [Id(12)] public string? Waiting { get; init; }

    /// <summary>
    /// Forgetting forecast at the run's last step from its evaluated checkpoints (at least three after step 0, each with its
    /// objectives reported); null before that.
    /// </summary>
    [Id(14)] public ForecastView? Forecast { get; init; }
    /// <summary>Every time the run was preempted, oldest first, with why and how it ended.</summary>
    [Id(13)] public ImmutableArray<RunPreemption> Preemptions { get; init; } = [];

    /// <summary>
    /// A reward fine-tuning run's reward, KL, entropy and length as it trains, in step order, at most 256 points (thinned evenly
    /// as the run goes on, as <see cref="LossHistory"/> is); empty for a supervised run.
    /// </summary>
    [Id(15)] public ImmutableArray<RlStepPoint> RlHistory { get; init; } = [];
}
