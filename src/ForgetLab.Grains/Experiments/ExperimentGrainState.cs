using System.Collections.Immutable;
using ForgetLab.Contracts.Experiments;

namespace ForgetLab.Grains.Experiments;

/// <summary>An experiment's persisted state; <see cref="Submission"/> is null until a valid spec is submitted.</summary>
[GenerateSerializer, Alias("forgetlab.ExperimentGrainState")]
public sealed record ExperimentGrainState
{
    [Id(0)] public ExperimentSubmission? Submission { get; init; }

    [Id(1)] public string? Description { get; init; }

    [Id(2)] public DateTimeOffset SubmittedAt { get; init; }

    [Id(3)] public ImmutableArray<string> RunIds { get; init; } = [];

    /// <summary>True once every run was created and queued; a repeated submit finishes the job if a failure stopped it.</summary>
    [Id(4)] public bool Scheduled { get; init; }

    [Id(5)] public bool Cancelled { get; init; }

    [Id(6)] public bool Published { get; init; }

    /// <summary>Key of the baseline grain of the runs' base model, once a worker has prepared it.</summary>
    [Id(7)] public string? BaselineKey { get; init; }
}
