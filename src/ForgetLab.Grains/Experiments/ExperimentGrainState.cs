using System.Collections.Immutable;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Models;

namespace ForgetLab.Grains.Experiments;

/// <summary>An experiment's persisted state; <see cref="Submission"/> is null until a valid spec is submitted.</summary>
[GenerateSerializer, Alias("forgetlab.ExperimentGrainState")]
public sealed record ExperimentGrainState
{
    [Id(0)] public ExperimentSubmission? Submission { get; init; }

    [Id(1)] public string? Description { get; init; }

    [Id(2)] public DateTimeOffset SubmittedAt { get; init; }

    [Id(3)] public ImmutableArray<string> RunIds { get; init; } = [];

    /// <summary>
    /// True once every run was created and queued (and handed to the pool); until then the grain schedules the rest batch by
    /// batch, and a repeated submit goes on with it if a failure stopped it.
    /// </summary>
    [Id(4)] public bool Scheduled { get; init; }

    [Id(5)] public bool Cancelled { get; init; }

    [Id(6)] public bool Published { get; init; }

    /// <summary>Key of the baseline grain of the runs' base model, once a worker has prepared it.</summary>
    [Id(7)] public string? BaselineKey { get; init; }

    /// <summary>What the runs' base model is: the registered model's record at submission, or as the first worker to prepare the base read it.</summary>
    [Id(8)] public ModelArchitecture? Base { get; init; }

    /// <summary>
    /// The summaries of runs that have ended, as last listed. An ended run is terminal (its lifecycle has no move
    /// out), so its summary can no longer change, and listing the runs after a restart need not activate its grain.
    /// </summary>
    [Id(9)] public ImmutableArray<RunSummary> EndedRuns { get; init; } = [];

    /// <summary>The spec's search (<c>search:</c>), fixed at submission; null when every run trains to its end.</summary>
    [Id(10)] public ExperimentSearch? Search { get; init; }

    /// <summary>The search's decided rungs, in step order.</summary>
    [Id(11)] public ImmutableArray<RungDecision> Rungs { get; init; } = [];

    /// <summary>The highest rung whose stops were all applied (runs stopped, leases released); a later call repeats the rest.</summary>
    [Id(12)] public long AppliedThrough { get; init; }

    /// <summary>
    /// How many of <see cref="RunIds"/>, in order, were created, queued and handed to the pool: the batches done so far. A state
    /// saved before batches were kept has 0 here; if it is not <see cref="Scheduled"/> its runs are scheduled again from the
    /// first, which is harmless (each step is idempotent).
    /// </summary>
    [Id(13)] public int RunsScheduled { get; init; }
}
