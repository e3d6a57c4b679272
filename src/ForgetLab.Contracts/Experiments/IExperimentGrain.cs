using System.Collections.Immutable;
using ForgetLab.Contracts.Baselines;
using ForgetLab.Contracts.Common;

namespace ForgetLab.Contracts.Experiments;

/// <summary>An experiment: a spec, its grid of runs, cancellation and publication. Key: "{tenant}/{experiment}".</summary>
[Alias("forgetlab.IExperimentGrain")]
public interface IExperimentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Parses and validates the spec, expands its grid and queues every run. An invalid spec comes
    /// back as <see cref="ReplyStatus.Invalid"/> with every error, and nothing is stored. Submitting
    /// the same text again is harmless; a different text for a submitted experiment is a conflict.
    /// </summary>
    [Alias("Submit")]
    Task<Reply<ExperimentView>> Submit(Caller caller, ExperimentSubmission submission);

    [Alias("Get")]
    Task<Reply<ExperimentView>> Get(Caller caller);

    [Alias("ListRuns")]
    Task<Reply<ImmutableArray<RunSummary>>> ListRuns(Caller caller);

    /// <summary>Cancels every run that has not ended and takes queued ones off the pool's queue.</summary>
    [Alias("Cancel")]
    Task<Reply<ExperimentView>> Cancel(Caller caller, string reason);

    /// <summary>
    /// Notes the baseline grain key ("_shared/{hash}" or "{tenant}/{hash}") its runs' base model is
    /// under, as the first worker to prepare the base reports it; later notes are ignored.
    /// Platform-internal (workers).
    /// </summary>
    [Alias("NoteBaseline")]
    Task NoteBaseline(string baselineKey);

    /// <summary>
    /// Notes what the runs' base model is, as the first worker to prepare the base read it from its folder;
    /// later notes are ignored. Platform-internal (workers).
    /// </summary>
    [Alias("NoteBaseModel")]
    Task NoteBaseModel(Models.ModelArchitecture baseModel);

    /// <summary>
    /// A run's checkpoint at <paramref name="step"/> was evaluated. For an experiment with a search, every rung at which each
    /// of its runs has now either scored its checkpoint or ended is decided, in order: the dominated runs are stopped early
    /// (their leases released) and the runs paused there resume. When <paramref name="step"/> is a rung still waiting for
    /// another run, this run pauses there and its lease goes back to the pool (<see cref="RungAnswer.Paused"/>). Harmless
    /// to repeat. Platform-internal (workers).
    /// </summary>
    [Alias("CheckpointEvaluated")]
    Task<RungAnswer> CheckpointEvaluated(string runId, long step);

    /// <summary>
    /// A run of the experiment ended (finished, failed or was cancelled): a rung that waited only for it is decided now, as in
    /// <see cref="CheckpointEvaluated"/>. Returns the runs stopped by this call. Harmless to repeat. Platform-internal.
    /// </summary>
    [Alias("RunEnded")]
    Task<ImmutableArray<string>> RunEnded(string runId);

    /// <summary>The base model's baseline table the experiment's runs are compared against; not found until a worker has noted it.</summary>
    [Alias("GetBaseline")]
    Task<Reply<BaselineView>> GetBaseline(Caller caller);

    /// <summary>Shows (or hides) the experiment's reports on the cross-tenant board.</summary>
    [Alias("SetPublished")]
    Task<Reply<ExperimentView>> SetPublished(Caller caller, bool published);
}
