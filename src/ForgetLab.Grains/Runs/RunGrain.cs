using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Runs;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Hosting;

namespace ForgetLab.Grains.Runs;

/// <summary>
/// One run's lifecycle state machine. Each transition is written to storage before the call
/// returns, with its time and reason in the log. Worker reports carry their lease and step, so a
/// repeated report is answered <see cref="ReportOutcome.Duplicate"/> and a report from a worker
/// that lost its lease is refused and told to stop. This grain calls no other grain: the
/// experiment and the pool call it, never the other way round, so no call cycle can deadlock.
/// </summary>
public sealed class RunGrain(
    [PersistentState("run", GrainStorage.Name)] IPersistentState<RunGrainState> run,
    PlatformClock clock) : Grain, IRunGrain
{
    private RunGrainState Current => run.State;

    private bool Exists => run.State.Setup is not null;

    private string Key => this.GetPrimaryKeyString();

    public Task<Reply<RunView>> Get(Caller caller) =>
        Task.FromResult(Visible(caller) ? Replies.Ok(View()) : NotFound());

    public async Task<Reply<RunView>> Cancel(Caller caller, string reason)
    {
        if (!Visible(caller)) return NotFound();
        if (!TenantAccess.Allows(caller, TenantRole.Member)) return Replies.Forbidden<RunView>(TenantRole.Member);
        if (reason.Length > InputLimits.MaxReasonChars)
            return Replies.Invalid<RunView>("reason", $"must be at most {InputLimits.MaxReasonChars} characters, got {reason.Length}");
        if (Current.State == RunState.Cancelled) return Replies.Ok(View());
        if (!RunLifecycle.Allows(Current.State, RunState.Cancelled))
        {
            return Replies.Conflict<RunView>(RunLifecycle.Refusal(Current.State, RunState.Cancelled));
        }

        var who = caller.Subject ?? Replies.RoleName(caller.Role);
        await Move(RunState.Cancelled, string.IsNullOrWhiteSpace(reason) ? $"cancelled by {who}" : $"cancelled by {who}: {reason}");
        return Replies.Ok(View());
    }

    public async Task<Reply<RunView>> Create(RunSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var named = $"{setup.TenantId}/{setup.ExperimentId}/{setup.Recipe.Name}";
        if (!GrainKeys.IsTenantId(setup.TenantId) || !GrainKeys.IsExperimentId(setup.ExperimentId) || !GrainKeys.IsRunId(setup.Recipe.Name)
            || GrainKeys.Run(setup.TenantId, setup.ExperimentId, setup.Recipe.Name) != Key)
        {
            return Replies.Invalid<RunView>("setup", $"setup names run '{named}', not '{Key}'");
        }

        if (Exists)
        {
            return Current.Setup == setup ? Replies.Ok(View()) : Replies.Conflict<RunView>($"run '{Key}' exists with a different setup");
        }

        await Save(Current with { Setup = setup, State = RunState.Pending, CreatedAt = clock.UtcNow });
        GrainMetrics.TenantKnown(setup.TenantId);
        return Replies.Ok(View());
    }

    public async Task<RequeueResult> Enqueue(string reason)
    {
        if (!Exists) return new RequeueResult(null, $"run '{Key}' does not exist");
        if (Current.State == RunState.Queued) return new RequeueResult(Entry(), null);
        if (Current.State != RunState.Pending) return new RequeueResult(null, RunLifecycle.Refusal(Current.State, RunState.Queued));

        var now = clock.UtcNow;
        await Move(RunState.Queued, reason, s => s with { FirstQueuedAt = s.FirstQueuedAt ?? now });
        return new RequeueResult(Entry(), null);
    }

    public async Task<LeaseAcceptance> MarkLeased(LeaseInfo lease, string reason)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (!Exists) return new LeaseAcceptance(false, null, $"run '{Key}' does not exist");
        if (Current.State == RunState.Leased && Current.Lease?.LeaseId == lease.LeaseId) return new LeaseAcceptance(true, Work(), null);
        if (Current.State != RunState.Queued) return new LeaseAcceptance(false, null, RunLifecycle.Refusal(Current.State, RunState.Leased));

        await Move(RunState.Leased, reason, s => s with { Lease = lease, Attempts = s.Attempts + 1, LostLeaseId = null });
        return new LeaseAcceptance(true, Work(), null);
    }

    public async Task<LeaseAcceptance> JoinLease(LeaseInfo lease, string leadRun)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (!Exists) return new LeaseAcceptance(false, null, $"run '{Key}' does not exist");
        if (RunLifecycle.IsHeld(Current.State) && Current.Lease?.LeaseId == lease.LeaseId) return new LeaseAcceptance(true, Work(), null);
        if (RunLifecycle.HasEnded(Current.State)) return new LeaseAcceptance(false, null, RunLifecycle.Refusal(Current.State, RunState.Leased));
        if (Current.State == RunState.Pending)
            await Move(RunState.Queued, $"queued to join run '{leadRun}''s evaluation job", s => s with { FirstQueuedAt = s.FirstQueuedAt ?? clock.UtcNow });
        else if (RunLifecycle.IsHeld(Current.State))
        {
            // The lead's earlier lease was lost (its worker died, or it was preempted): this run goes with the lead's new one.
            var lost = Current.Lease?.LeaseId;
            await Move(RunState.Queued, $"run '{leadRun}''s lease '{lost}' was lost; evaluated again in its new job", s => s with { Lease = null, LostLeaseId = lost, EvaluatingStep = null });
        }

        await Move(RunState.Leased, $"joins lease '{lease.LeaseId}' of run '{leadRun}' on worker '{lease.WorkerId}' (one evaluation job per base)",
            s => s with { Lease = lease, Attempts = s.Attempts + 1, LostLeaseId = null });
        return new LeaseAcceptance(true, Work(), null);
    }

    public async Task<RequeueResult> ReturnToQueue(string leaseId, string reason)
    {
        if (!Exists) return new RequeueResult(null, $"run '{Key}' does not exist");

        // Already queued: either this lease was taken away before (a repeat), or the pool lost the
        // run from its queue; either way the entry goes (back) on the queue.
        if (Current.State == RunState.Queued) return new RequeueResult(Entry(), null);
        if (!RunLifecycle.IsHeld(Current.State)) return new RequeueResult(null, RunLifecycle.Refusal(Current.State, RunState.Queued));
        if (Current.Lease?.LeaseId != leaseId)
        {
            return new RequeueResult(null, $"the run is held under lease '{Current.Lease?.LeaseId}', not '{leaseId}'");
        }

        var resume = Current.Checkpoints.IsEmpty ? "from scratch" : $"from the checkpoint at step {Current.Checkpoints[^1].Step}";
        await Move(RunState.Queued, $"{reason}; resumes {resume}", s => s with { Lease = null, LostLeaseId = leaseId, EvaluatingStep = null });
        return new RequeueResult(Entry(), null);
    }

    public async Task<RungPause> PauseAtRung(long step, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (!Exists) return new RungPause(false, null, $"run '{Key}' does not exist");
        if (Current.State == RunState.Paused)
        {
            // A repeat: the lease it was held under is handed back again, which the pool answers harmlessly.
            return Current.PausedAt == step
                ? new RungPause(true, Current.PausedLease, null)
                : new RungPause(false, null, $"the run is paused at step {Current.PausedAt}, not {step}");
        }

        if (Current.State != RunState.Running) return new RungPause(false, null, RunLifecycle.Refusal(Current.State, RunState.Paused));
        // It resumes from its latest checkpoint, so that must be the rung's, and scored: the search compared it.
        if (Current.Checkpoints.IsEmpty || Current.Checkpoints[^1] is not { EvaluatedAt: not null } latest || latest.Step != step)
            return new RungPause(false, null, $"the run's latest scored checkpoint is not at step {step}, so it cannot pause there");

        var lease = Current.Lease;
        await Move(RunState.Paused, reason, s => s with { Lease = null, LostLeaseId = lease?.LeaseId, PausedAt = step, PausedLease = lease });
        return new RungPause(true, lease, null);
    }

    public async Task<RequeueResult> ResumeFromRung(long step, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (!Exists) return new RequeueResult(null, $"run '{Key}' does not exist");
        if (Current.State == RunState.Queued && Current.Transitions is [.., { From: RunState.Paused }]) return new RequeueResult(Entry(), null);
        if (Current.State != RunState.Paused) return new RequeueResult(null, RunLifecycle.Refusal(Current.State, RunState.Queued));
        if (Current.PausedAt != step) return new RequeueResult(null, $"the run is paused at step {Current.PausedAt}, not {step}");

        await Move(RunState.Queued, $"{reason}; resumes from the checkpoint at step {Current.PausedAt}", s => s with { PausedAt = null, PausedLease = null });
        return new RequeueResult(Entry(), null);
    }

    public async Task<EarlyStop> StopEarly(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (!Exists) return new EarlyStop(false, RunState.Pending, null, $"run '{Key}' does not exist");
        if (Current.State == RunState.StoppedEarly)
        {
            // A repeat: the lease it was held under is handed back again, which the pool answers harmlessly.
            var last = Current.Transitions.LastOrDefault(t => t.To == RunState.StoppedEarly);
            return last?.Reason == reason
                ? new EarlyStop(true, last.From, RunLifecycle.IsHeld(last.From) ? Current.Lease : null, null)
                : new EarlyStop(false, RunState.StoppedEarly, null, $"the run already stopped early: {last?.Reason}");
        }

        if (!RunLifecycle.Allows(Current.State, RunState.StoppedEarly))
            return new EarlyStop(false, Current.State, null, RunLifecycle.Refusal(Current.State, RunState.StoppedEarly));

        var from = Current.State;
        await Move(RunState.StoppedEarly, reason, s => s with { EvaluatingStep = null });
        return new EarlyStop(true, from, RunLifecycle.IsHeld(from) ? Current.Lease : null, null);
    }

    public async Task<RequeueResult> Preempted(string leaseId, RunPreemption preemption)
    {
        ArgumentNullException.ThrowIfNull(preemption);
        if (!Exists) return new RequeueResult(null, $"run '{Key}' does not exist");
        if (Current.State == RunState.Queued && Current.LostLeaseId == leaseId) return new RequeueResult(Entry(), null);
        if (!RunLifecycle.IsHeld(Current.State)) return new RequeueResult(null, RunLifecycle.Refusal(Current.State, RunState.Queued));
        if (Current.Lease?.LeaseId != leaseId)
        {
            return new RequeueResult(null, $"the run is held under lease '{Current.Lease?.LeaseId}', not '{leaseId}'");
        }

        // A grace timeout falls back to the latest checkpoint the run recorded; the pool does not know it.
        if (preemption.Outcome != PreemptionOutcomes.Checkpointed) preemption = preemption with { CheckpointStep = Current.Checkpoints.IsEmpty ? null : Current.Checkpoints[^1].Step };
        var how = preemption.Outcome == PreemptionOutcomes.Checkpointed
            ? $"checkpointed at step {preemption.CheckpointStep}; resumes from it"
            : $"no checkpoint within the grace period; resumes {(preemption.CheckpointStep is { } step ? $"from the checkpoint at step {step}" : "from scratch")}";
        await Move(RunState.Queued, $"{preemption.Explanation}; {how}", s => s with
        {
            Lease = null, LostLeaseId = leaseId, EvaluatingStep = null, Preemptions = s.Preemptions.Add(preemption),
        });
        return new RequeueResult(Entry(), null);
    }

    public async Task<ReportAck> Started(RunStarted report)
    {
        if (Refused(report.LeaseId) is { } refused) return refused;
        if (Current.State is RunState.Running or RunState.Evaluating) return Ack(ReportOutcome.Duplicate);
        if (Current.State != RunState.Leased) return Reject(RunLifecycle.Refusal(Current.State, RunState.Running));

        await Move(RunState.Running, $"worker '{Current.Lease!.WorkerId}' started the job");
        return Ack(ReportOutcome.Applied);
    }

    public async Task<ReportAck> Progress(ProgressReport report)
    {
        if (Refused(report.LeaseId) is { } refused) return refused;
        if (Current.State is not (RunState.Running or RunState.Evaluating))
        {
            return Reject($"progress is reported while Running or Evaluating; the run is {Current.State}");
        }

        if (report.Step <= Current.LastStep) return Ack(ReportOutcome.Duplicate);

        var history = Current.LossHistory ?? Runs.LossHistory.Empty;
        if (report.TrainLoss is { } loss) history = history.Add(new LossPoint(report.Step, loss));
        var rl = Current.RlHistory;
        if (report.Rl is { } point)
        {
            if (point.Step != report.Step) return Reject($"the reward fine-tuning point is at step {point.Step}, the report at step {report.Step}");
            if (point.Steps < 1) return Reject($"the reward fine-tuning point covers {point.Steps} steps; at least 1 is needed");
            rl = (rl ?? Runs.RlHistory.Empty).Add(point);
        }
        await Save(Current with { LastStep = report.Step, LastTrainLoss = report.TrainLoss, LossHistory = history, RlHistory = rl });
        return Ack(ReportOutcome.Applied);
    }

    public async Task<ReportAck> CheckpointSaved(CheckpointSaved report)
    {
        if (Refused(report.LeaseId) is { } refused) return refused;
        if (Current.State is not (RunState.Running or RunState.Evaluating))
        {
            return Reject($"checkpoints are reported while Running or Evaluating; the run is {Current.State}");
        }

        if (!IsSha256(report.Sha256)) return Reject($"sha256 must be 64 hex digits, got '{report.Sha256}'");
        if (string.IsNullOrWhiteSpace(report.BlobLocation)) return Reject("blobLocation is empty");

        if (CheckpointAt(report.Step) is { } known)
        {
            return string.Equals(known.Sha256, report.Sha256, StringComparison.OrdinalIgnoreCase) && known.BlobLocation == report.BlobLocation
                ? Ack(ReportOutcome.Duplicate)
                : Reject($"step {report.Step} already has a checkpoint with hash {known.Sha256} at '{known.BlobLocation}'");
        }

        var checkpoint = new CheckpointRecord(report.Step, report.BlobLocation, report.Sha256.ToLowerInvariant(), clock.UtcNow, [], null)
        {
            ForPreemption = report.ForPreemption,
        };
        await Save(Current with
        {
            Checkpoints = [.. Current.Checkpoints.Add(checkpoint).OrderBy(c => c.Step)],
            LastStep = Math.Max(Current.LastStep, report.Step),
        });
        return Ack(ReportOutcome.Applied);
    }

    public async Task<ReportAck> EvaluationStarted(EvaluationStarted report)
    {
        if (Refused(report.LeaseId) is { } refused) return refused;
        if (Current.State == RunState.Evaluating && Current.EvaluatingStep == report.Step) return Ack(ReportOutcome.Duplicate);
        if (CheckpointAt(report.Step) is not { } checkpoint) return Reject($"no checkpoint at step {report.Step} to evaluate");
        if (checkpoint.EvaluatedAt is not null) return Ack(ReportOutcome.Duplicate);
        if (Current.State != RunState.Running) return Reject(RunLifecycle.Refusal(Current.State, RunState.Evaluating));

        await Move(RunState.Evaluating, $"evaluating the checkpoint at step {report.Step}", s => s with { EvaluatingStep = report.Step });
        return Ack(ReportOutcome.Applied);
    }

    public async Task<ReportAck> EvaluationFinished(EvaluationFinished report)
    {
        if (Refused(report.LeaseId) is { } refused) return refused;
        if (CheckpointAt(report.Step) is not { } checkpoint) return Reject($"no checkpoint at step {report.Step} was evaluated");
        if (checkpoint.EvaluatedAt is not null) return Ack(ReportOutcome.Duplicate);
        if (Current.State != RunState.Evaluating || Current.EvaluatingStep != report.Step)
        {
            return Reject(Current.State == RunState.Evaluating
                ? $"the run is evaluating the checkpoint at step {Current.EvaluatingStep}, not {report.Step}"
                : RunLifecycle.Refusal(Current.State, RunState.Running) + " (evaluation results come while Evaluating)");
        }

        // Objectives feed the experiment's search and the run's forecast: a malformed one is refused here, never computed on.
        if (!report.Scores.IsDefault && report.Scores.FirstOrDefault(s => s.Objective is { } o && !RunForecasts.IsWellFormed(o)) is { } bad)
            return Reject($"suite '{bad.Suite}': its objective must be target_gain or forgetting with a finite delta and a 95% interval whose low is not above its high");

        var scored = checkpoint with { Scores = report.Scores.IsDefault ? [] : report.Scores, EvaluatedAt = clock.UtcNow };
        await Move(
            RunState.Running,
            $"evaluated the checkpoint at step {report.Step} on {scored.Scores.Length} suites",
            s => s with { Checkpoints = s.Checkpoints.Replace(checkpoint, scored), EvaluatingStep = null });
        return Ack(ReportOutcome.Applied);
    }

    public async Task<ReportAck> Finished(RunFinished report)
    {
        if (Refused(report.LeaseId) is { } refused) return refused;
        var to = report.StoppedEarly ? RunState.StoppedEarly : RunState.Completed;
        if (Current.State == to) return Ack(ReportOutcome.Duplicate);
        if (!RunLifecycle.Allows(Current.State, to)) return Reject(RunLifecycle.Refusal(Current.State, to));

        var reason = string.IsNullOrWhiteSpace(report.Reason) ? $"finished at step {report.FinalStep}" : report.Reason;
        await Move(to, reason, s => s with { LastStep = Math.Max(s.LastStep, report.FinalStep), EvaluatingStep = null });
        return Ack(ReportOutcome.Applied);
    }

    public async Task<ReportAck> Failed(RunFailed report)
    {
        if (Refused(report.LeaseId) is { } refused) return refused;
        if (Current.State == RunState.Failed) return Ack(ReportOutcome.Duplicate);
        if (!RunLifecycle.Allows(Current.State, RunState.Failed)) return Reject(RunLifecycle.Refusal(Current.State, RunState.Failed));

        await Move(RunState.Failed, string.IsNullOrWhiteSpace(report.Reason) ? "the job failed" : report.Reason, s => s with { EvaluatingStep = null });
        return Ack(ReportOutcome.Applied);
    }

    /// <summary>A report is only heard from the worker holding the run's current lease.</summary>
    private ReportAck? Refused(string leaseId)
    {
        if (!Exists) return Reject($"run '{Key}' does not exist", stop: true);
        if (Current.Lease is null || Current.Lease.LeaseId != leaseId)
        {
            return Reject($"lease '{leaseId}' is not the run's current lease", stop: true);
        }

        return Current.State == RunState.Cancelled ? Reject("the run was cancelled", stop: true) : null;
    }

    private async Task Move(RunState to, string reason, Func<RunGrainState, RunGrainState>? change = null)
    {
        var from = Current.State;
        if (!RunLifecycle.Allows(from, to)) throw new InvalidOperationException(RunLifecycle.Refusal(from, to));

        var changed = change is null ? Current : change(Current);
        var now = clock.UtcNow;
        await Save(changed with
        {
            State = to,
            Transitions = changed.Transitions.Add(new RunTransition(from, to, now, reason)),
        });
        if (Current.Setup is { } setup)
        {
            GrainMetrics.RunMoved(setup.TenantId, to);
            if (RunLifecycle.HasEnded(to) && Current.Transitions.FirstOrDefault(t => t.To == RunState.Running) is { } started)
                GrainMetrics.RunEnded(setup.TenantId, to, now - started.At);
        }
    }

    /// <summary>Writes the new state; if the write fails the grain keeps the state it had, and the caller sees the failure.</summary>
    private Task Save(RunGrainState next) => run.SaveOrRollBack(next, "run");

    private bool Visible(Caller caller) =>
        Exists && TenantAccess.Owns(caller, Key) && Current.Setup!.TenantId == caller.TenantId;

    private Reply<RunView> NotFound() => Replies.NotFound<RunView>($"run '{GrainKeys.LeafOf(Key)}'");

    private ReportAck Ack(ReportOutcome outcome) => new(outcome, Current.State, null, false);

    private ReportAck Reject(string error, bool stop = false) =>
        new(ReportOutcome.Rejected, Current.State, error, stop || RunLifecycle.HasEnded(Current.State));

    private CheckpointRecord? CheckpointAt(long step) => Current.Checkpoints.FirstOrDefault(c => c.Step == step);

    private QueueEntry Entry()
    {
        var setup = Current.Setup!;
        return new QueueEntry(
            Key, setup.TenantId, setup.Priority, Current.FirstQueuedAt ?? Current.CreatedAt, setup.DevicesNeeded, setup.DeviceKind,
            setup.PriorityClass, setup.MemoryBytes);
    }

    /// <summary>The latest checkpoint is where a re-leased run resumes; the worker checks its hash before loading it.</summary>
    private RunWork Work() =>
        new(Current.Setup!.Recipe, Current.Setup.SpecText, Current.Checkpoints.IsEmpty ? null : Current.Checkpoints[^1]);

    private RunView View()
    {
        var s = Current;
        return new RunView(s.Setup!.TenantId, s.Setup.ExperimentId, s.Setup.Recipe, s.State, s.LastStep, s.LastTrainLoss, s.Lease,
            s.Checkpoints, s.Transitions, s.Attempts) { LossHistory = s.LossHistory?.Points ?? [], RlHistory = s.RlHistory?.Points ?? [], Memory = s.Setup.Memory, Forecast = RunForecasts.Of(s.Setup.Recipe, s.Checkpoints), Preemptions = s.Preemptions };
    }

    private static bool IsSha256(string? text) =>
        text is { Length: 64 } && text.All(char.IsAsciiHexDigit);
}
