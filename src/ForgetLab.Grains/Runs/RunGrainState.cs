using System.Collections.Immutable;
using ForgetLab.Contracts.Runs;

namespace ForgetLab.Grains.Runs;

/// <summary>A run's persisted state; <see cref="Setup"/> is null until the run is created.</summary>
[GenerateSerializer, Alias("forgetlab.RunGrainState")]
public sealed record RunGrainState
{
    [Id(0)] public RunSetup? Setup { get; init; }

    [Id(1)] public RunState State { get; init; } = RunState.Pending;

    [Id(2)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>First time the run was queued; a re-queued run keeps its place in age order.</summary>
    [Id(3)] public DateTimeOffset? FirstQueuedAt { get; init; }

    /// <summary>The lease the run is held under; kept after the run ends so a repeated final report is recognised.</summary>
    [Id(4)] public LeaseInfo? Lease { get; init; }

    /// <summary>The last lease taken away from the run, so a repeated re-queue for it is recognised.</summary>
    [Id(5)] public string? LostLeaseId { get; init; }

    [Id(6)] public long LastStep { get; init; }

    [Id(7)] public double? LastTrainLoss { get; init; }

    [Id(8)] public ImmutableArray<CheckpointRecord> Checkpoints { get; init; } = [];

    [Id(9)] public ImmutableArray<RunTransition> Transitions { get; init; } = [];

    /// <summary>Leases the run has been given.</summary>
    [Id(10)] public int Attempts { get; init; }

    /// <summary>Step of the checkpoint being evaluated while <see cref="State"/> is Evaluating.</summary>
    [Id(11)] public long? EvaluatingStep { get; init; }

    /// <summary>The reported losses, bounded (<see cref="Runs.LossHistory"/>), for the loss curve while the run trains.</summary>
    [Id(12)] public LossHistory? LossHistory { get; init; }

    /// <summary>Every preemption of the run, oldest first.</summary>
    [Id(13)] public ImmutableArray<RunPreemption> Preemptions { get; init; } = [];

    /// <summary>The rung step the run waits at while <see cref="State"/> is Paused.</summary>
    [Id(14)] public long? PausedAt { get; init; }

    /// <summary>The lease the run gave up when it paused, so a repeated pause hands the same lease back.</summary>
    [Id(15)] public LeaseInfo? PausedLease { get; init; }

    /// <summary>A reward fine-tuning run's reported reward, KL, entropy and length, bounded (<see cref="Runs.RlHistory"/>), for its curves while it trains.</summary>
    [Id(16)] public RlHistory? RlHistory { get; init; }
}
