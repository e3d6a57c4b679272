using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>
/// The host asked for a checkpoint now (the run is preempted) and the job saved one at the end of its current training step
/// (<c>preemption_checkpoint_saved</c>): off the checkpoint schedule, so it is resumed from but never evaluated. The job exits
/// after this event without a <c>finished</c> one; the run goes on elsewhere.
/// </summary>
public sealed record PreemptionCheckpointSaved(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("loss")] double? Loss) : JobEvent;
