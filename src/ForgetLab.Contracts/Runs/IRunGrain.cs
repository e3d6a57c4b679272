using ForgetLab.Contracts.Common;

namespace ForgetLab.Contracts.Runs;

/// <summary>
/// One run's lifecycle. Key: "{tenant}/{experiment}/{run}". Every transition is persisted before
/// the call returns and logged with its time and reason; an illegal one is refused with the reason.
/// Calls without a <see cref="Caller"/> are the platform's own (experiment, pool, worker) and are
/// never exposed to tenants as they are.
/// </summary>
[Alias("forgetlab.IRunGrain")]
public interface IRunGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<Reply<RunView>> Get(Caller caller);

    [Alias("Cancel")]
    Task<Reply<RunView>> Cancel(Caller caller, string reason);

    /// <summary>Creates the run in Pending; repeating it with the same setup is harmless.</summary>
    [Alias("Create")]
    Task<Reply<RunView>> Create(RunSetup setup);

    /// <summary>Pending → Queued; answers the entry for the pool's queue (also when already queued).</summary>
    [Alias("Enqueue")]
    Task<RequeueResult> Enqueue(string reason);

    /// <summary>Queued → Leased under the pool's lease.</summary>
    [Alias("MarkLeased")]
    Task<LeaseAcceptance> MarkLeased(LeaseInfo lease, string reason);

    /// <summary>
    /// An evaluation-only experiment's member run joins its lead's lease (one evaluation job per base, Core's <c>EvaluationGroup</c>):
    /// Queued → Leased under <paramref name="lease"/>. Held under another (lost) lease of the lead, it is queued again first and then
    /// joins. Repeating it for the same lease is harmless; an ended run answers not accepted, and is not evaluated again.
    /// </summary>
    [Alias("JoinLease")]
    Task<LeaseAcceptance> JoinLease(LeaseInfo lease, string leadRun);

    /// <summary>Leased | Running | Evaluating → Queued when the lease is lost (expired, preempted); the run resumes from its latest checkpoint.</summary>
    [Alias("ReturnToQueue")]
    Task<RequeueResult> ReturnToQueue(string leaseId, string reason);

    /// <summary>
    /// Running → Paused at a search rung (the experiment's other runs have not all scored theirs yet), once the checkpoint
    /// at <paramref name="step"/> is the run's latest and is scored. The lease ends with it (the caller gives it back to the
    /// pool) and the worker hears stop on its next report. Repeating it for the same step is harmless.
    /// </summary>
    [Alias("PauseAtRung")]
    Task<RungPause> PauseAtRung(long step, string reason);

    /// <summary>
    /// Paused at <paramref name="step"/> → Queued once that rung is decided and the run goes on; it resumes from the rung's
    /// checkpoint. A run paused at another rung, or not paused, refuses. Harmless to repeat.
    /// </summary>
    [Alias("ResumeFromRung")]
    Task<RequeueResult> ResumeFromRung(long step, string reason);

    /// <summary>
    /// Queued | Leased | Running | Evaluating | Paused → StoppedEarly by the platform (the experiment's search), with the reason in the
    /// log. The worker hears it on its next report (stop requested); the caller releases the lease. Repeating it is harmless.
    /// </summary>
    [Alias("StopEarly")]
    Task<EarlyStop> StopEarly(string reason);

    /// <summary>
    /// Leased | Running | Evaluating → Queued because the pool preempted the lease; the preemption is recorded on the run and it
    /// resumes from its latest checkpoint. Repeating it for the same lease is harmless.
    /// </summary>
    [Alias("Preempted")]
    Task<RequeueResult> Preempted(string leaseId, RunPreemption preemption);

    [Alias("Started")]
    Task<ReportAck> Started(RunStarted report);

    [Alias("Progress")]
    Task<ReportAck> Progress(ProgressReport report);

    [Alias("CheckpointSaved")]
    Task<ReportAck> CheckpointSaved(CheckpointSaved report);

    [Alias("EvaluationStarted")]
    Task<ReportAck> EvaluationStarted(EvaluationStarted report);

    [Alias("EvaluationFinished")]
    Task<ReportAck> EvaluationFinished(EvaluationFinished report);

    [Alias("Finished")]
    Task<ReportAck> Finished(RunFinished report);

    [Alias("Failed")]
    Task<ReportAck> Failed(RunFailed report);
}
