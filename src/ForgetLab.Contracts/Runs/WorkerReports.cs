using System.Collections.Immutable;

namespace ForgetLab.Contracts.Runs;

// Reports a worker sends about the run it holds. Each names the lease it runs under, so a worker
// whose lease expired cannot move a run that was leased again; steps make repeats harmless.

/// <summary>The job started (Leased → Running).</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RunStarted")]
public sealed record RunStarted([property: Id(0)] string LeaseId);

/// <summary>Training reached <see cref="Step"/>; a step at or below the last one reported is a repeat.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.ProgressReport")]
public sealed record ProgressReport(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] long Step,
    [property: Id(2)] double? TrainLoss)
{
    /// <summary>A reward fine-tuning run's measures over the steps since the previous report; null for a supervised run.</summary>
    [Id(3)] public RlStepPoint? Rl { get; init; }
}

/// <summary>A checkpoint was uploaded under <c>{tenant}/{experiment}/{run}/step-{n}/</c>.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.CheckpointSaved")]
public sealed record CheckpointSaved(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] long Step,
    [property: Id(2)] string BlobLocation,
    [property: Id(3)] string Sha256)
{
    /// <summary>Saved off the checkpoint schedule because the run is preempted: resumed from, never evaluated.</summary>
    [Id(4)] public bool ForPreemption { get; init; }
}

/// <summary>Evaluation of the checkpoint at <see cref="Step"/> began (Running → Evaluating).</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.EvaluationStarted")]
public sealed record EvaluationStarted(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] long Step);

/// <summary>Scores per suite of the checkpoint at <see cref="Step"/> (Evaluating → Running).</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.EvaluationFinished")]
public sealed record EvaluationFinished(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] long Step,
    [property: Id(2)] ImmutableArray<SuiteScore> Scores);

/// <summary>The run ended normally (→ Completed) or by early stopping on the retention set (→ StoppedEarly).</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RunFinished")]
public sealed record RunFinished(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] long FinalStep,
    [property: Id(2)] bool StoppedEarly,
    [property: Id(3)] string Reason);

/// <summary>The job failed for good (→ Failed): diverged, out of memory, a bad input.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RunFailed")]
public sealed record RunFailed(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] string Reason);
