using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>
/// What a job tells its host as it goes: the worker's child-process protocol, one JSON object per line
/// on the job's stdout (<see cref="JobProtocol"/>), and the lab's progress display in-process. A closed
/// union: the <c>event</c> field names the case, each case carries exactly its own fields. The stand-alone
/// lab and the worker's job report through the same events.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(PreparationProgress), "phase")]
[JsonDerivedType(typeof(BaselineLookup), "baseline_lookup")]
[JsonDerivedType(typeof(BaselineReady), "baseline_ready")]
[JsonDerivedType(typeof(TrainingStarted), "started")]
[JsonDerivedType(typeof(TrainingProgress), "progress")]
[JsonDerivedType(typeof(CheckpointSaved), "checkpoint_saved")]
[JsonDerivedType(typeof(PreemptionCheckpointSaved), "preemption_checkpoint_saved")]
[JsonDerivedType(typeof(EvaluationStarted), "evaluation_started")]
[JsonDerivedType(typeof(EvaluationProgress), "evaluation_progress")]
[JsonDerivedType(typeof(CheckpointEvaluated), "checkpoint_evaluated")]
[JsonDerivedType(typeof(RunFinished), "finished")]
[JsonDerivedType(typeof(JobFailed), "failed")]
[JsonDerivedType(typeof(ReportWritten), "report_written")]
public abstract record JobEvent
{
    // Closed: every case is declared above, in this assembly.
    private protected JobEvent()
    {
    }

    /// <summary>The protocol version the line was written in (<see cref="JobProtocol.Version"/>).</summary>
    [JsonPropertyName("v")]
    [JsonPropertyOrder(-1)]
    public int Version { get; init; } = JobProtocol.Version;

    /// <summary>The case's name on the wire (<c>progress</c>, <c>finished</c>, …), for logs and messages.</summary>
    [JsonIgnore]
    public string Name => JobProtocol.NameOf(GetType());
}
