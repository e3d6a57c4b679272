using System.Collections.Immutable;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Reports;
using ForgetLab.Worker.Observability;
using ForgetLab.Worker.Outages;
using Microsoft.Extensions.Logging;

namespace ForgetLab.Worker;

/// <summary>
/// Runs one lease: fetches and verifies the checkpoint to resume from, starts the job's child process,
/// relays its events to the run grain (each report names the lease and its step, so repeats are
/// harmless), uploads every checkpoint and its per-item results, and stops the child when the run says
/// stop (cancelled, or the lease went elsewhere) or the worker loses the lease. Reports and uploads go
/// through a <see cref="ReportDelivery"/>: while the server or storage is unreachable the job trains on, its
/// events wait in a bounded <see cref="JobEventBuffer"/>, and they are delivered (and the delivered ones
/// replayed) once the platform answers again. An unreachable platform never kills the job nor fails the run.
/// The lead run of an evaluation-only experiment brings its members (Core's <see cref="EvaluationGroup"/>): they join this
/// lease, the one job loads the base once and evaluates every entry, and each entry's events go to its own run. A member
/// that says stop (cancelled) is left out from then on; only the lead's stop ends the job.
/// </summary>
public sealed class LeaseRunner(
    LeaseGrant grant, IGrainFactory grains, CheckpointStore store, WorkerOptions options, string cliDll, string workDirectory, int threadsPerSlot,
    ReconnectBackoff backoff, ILogger logger, string workerId)
{
    private readonly IRunGrain _run = grains.GetGrain<IRunGrain>(grant.RunKey);
    private readonly IGpuPoolGrain _pool = grains.GetGrain<IGpuPoolGrain>(Contracts.Common.GrainKeys.Pool);
    private readonly string _directory = Path.Combine(workDirectory, string.Concat(grant.LeaseId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')));
    private int _checkpointAsked;
    private readonly CancellationTokenSource _lost = new();
    private readonly string _deviceKind = grant.DeviceIds.Any(d => d.StartsWith("cuda:", StringComparison.Ordinal)) ? "cuda" : "cpu";
    private readonly BaselineShare _baselines = new(grant, grains, store, logger);
    private readonly ReportDelivery _delivery = new(backoff, logger, grant.LeaseId);
    private readonly SearchNotice _search = new(grant, grains, logger);
    private JobProcess? _job;
    private long _lastProgressStep;
    // A reward fine-tuning run's measures of the steps since the last progress report (each report carries their means).
    private readonly RlStepWindow _rlSteps = new();
    // The evaluation group's members that joined this lease: run name → run key; and the runs the job has not finished yet.
    private readonly Dictionary<string, string> _members = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dropped = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unfinished = new(StringComparer.Ordinal);
    private DateTimeOffset _lastProgressAt = DateTimeOffset.MinValue;

    public LeaseGrant Grant => grant;

    /// <summary>How the lease's reports fared (failed tries, replays after an outage).</summary>
    public ReportDelivery Delivery => _delivery;

    /// <summary>Why the job was stopped before it reported its end, when it was: the lease was lost, the run said stop, the worker shuts down.</summary>
    public LeaseStop? Stop { get; private set; }

    /// <summary>The same in words, for the log.</summary>
    public string? StoppedBecause { get; private set; }

    /// <summary>The pool no longer holds the lease, or the worker shuts down: stop the job, report nothing more.</summary>
    public void LeaseLost(LeaseStop why, string reason)
    {
        Stopped(why, reason);
        _lost.Cancel();
        _job?.Kill();
    }

    /// <summary>The file whose presence asks the job for a checkpoint now (<c>lab job --checkpoint-signal</c>).</summary>
    private string CheckpointSignal => Path.Combine(_directory, "checkpoint-now");

    /// <summary>
    /// The pool preempts the lease: the job is asked to checkpoint after its current training step. Once that checkpoint is uploaded,
    /// read back and verified, the pool is told and the job stops. Asking again is harmless.
    /// </summary>
    public void CheckpointNow()
    {
        if (Interlocked.Exchange(ref _checkpointAsked, 1) == 1) return;
        logger.LogInformation("Lease {Lease}: run {Run} is preempted; asking the job to checkpoint now", grant.LeaseId, grant.RunKey);
        Directory.CreateDirectory(_directory);
        File.WriteAllText(CheckpointSignal, "");
    }

    private void Stopped(LeaseStop why, string reason)
    {
        if (Stop is not null) return;
        (Stop, StoppedBecause) = (why, reason);
    }

    public async Task RunAsync(CancellationToken shutdown)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(shutdown, _lost.Token);
        var cancel = linked.Token;
        var dir = _directory;
        try
        {
            Directory.CreateDirectory(dir);
            var spec = Path.Combine(dir, "spec.yaml");
            await File.WriteAllTextAsync(spec, grant.Work.SpecText, cancel);
            var resume = await _delivery.Retry("downloading the checkpoint to resume from",
                c => store.DownloadResumable(grant.RunKey, grant.Work.ResumeFrom, Path.Combine(dir, "resume"), c), cancel);
            // The reports of the checkpoints before the one resumed from, so the run's report keeps every checkpoint it made.
            var earlier = resume is null ? null : await _delivery.Retry("downloading the earlier checkpoints' reports",
                c => store.DownloadEarlierReports(grant.RunKey, CheckpointFolder.StepOf(resume), Path.Combine(dir, "earlier"), c), cancel);
            var files = Core.Specs.SpecFiles.ForPlatform(options.SpecBaseDirectory);
            var model = await _delivery.Retry("downloading the registered model",
                c => new RegisteredModels(grains, store, workDirectory, logger).Prepare(grant.TenantId, grant.Work.SpecText, files, c), cancel);
            await JoinMembers(files, cancel);
            var evaluated = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var run in _unfinished.Order(StringComparer.Ordinal))
                if (await _delivery.Retry("downloading the registered model to evaluate",
                        c => new RegisteredModels(grains, store, workDirectory, logger).PrepareEvaluated(grant.TenantId, grant.Work.SpecText, files, run, c), cancel) is { } folder)
                    evaluated[run] = folder;

            var datasets = await _delivery.Retry("downloading the registered data sets",
                c => new RegisteredDatasets(grains, store, workDirectory, logger).Prepare(grant.TenantId, grant.Work.SpecText, files, c), cancel);

            if (await Report("the job's start", r => r.Started(new RunStarted(grant.LeaseId)), cancel) is false) return;
            foreach (var member in _members.Keys)
                await Report("the job's start", r => r.Started(new RunStarted(grant.LeaseId)), cancel, run: member);

            var args = new List<string> { "lab", "job", spec, "--run", grant.Work.Recipe.Name, "--out", Path.Combine(dir, "out"), "--baseline-exchange" };
            foreach (var member in _members.Keys.Where(m => !_dropped.Contains(m))) args.AddRange(["--run", member]);
            if (resume is not null)
            {
                args.AddRange(["--resume", resume]);
                // The job before this one saved the checkpoint but was stopped before scoring it.
                // A checkpoint saved for a preemption is off the schedule: trained on from, never scored.
                if (grant.Work.ResumeFrom is { EvaluatedAt: null, ForPreemption: false } latest && CheckpointFolder.StepOf(resume) == latest.Step)
                    args.Add("--evaluate-resumed");
                if (earlier is not null) args.AddRange(["--earlier-reports", earlier]);
            }
            if (options.WorldDataDirectory is { Length: > 0 } world) args.AddRange(["--world-data", world]);
            // A tenant's spec: the job applies the platform's file rule again (defence in depth).
            args.Add("--platform-paths");
            args.AddRange(["--checkpoint-signal", CheckpointSignal]);
            if (files.Directory is { } specDirectory) args.AddRange(["--spec-dir", specDirectory]);
            if (model is not null) args.AddRange(["--model-dir", model]);
            foreach (var (run, folder) in evaluated) args.AddRange(["--evaluated-dir", $"{run}={folder}"]);
            foreach (var (name, folder) in datasets) args.AddRange(["--dataset", $"{name}={folder}"]);
            var env = new Dictionary<string, string> { ["FORGETLAB_JOB_PARENT_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            var cuda = grant.DeviceIds.Where(d => d.StartsWith("cuda:", StringComparison.Ordinal)).Select(d => d["cuda:".Length..]).ToList();
            if (cuda.Count > 0) env["CUDA_VISIBLE_DEVICES"] = string.Join(",", cuda);
            else args.AddRange(["--threads", (threadsPerSlot * grant.DeviceIds.Length).ToString(System.Globalization.CultureInfo.InvariantCulture)]);

            await using var job = JobProcess.Start(cliDll, args, env, Path.Combine(dir, "job.log"), new JobEventBuffer(Math.Max(1, options.ReportBufferEvents)), Measure);
            _job = job;
            if (_lost.IsCancellationRequested) job.Kill();
            logger.LogInformation("Lease {Lease}: run {Run} started as process {Pid}{Resume}", grant.LeaseId, grant.RunKey, job.Pid,
                resume is null ? "" : $", resuming from {resume}");

            var ended = false;
            await foreach (var e in job.Events.ReadAllAsync(cancel))
            {
                if (!await Handle(e, cancel))
                {
                    job.Kill();
                    break;
                }
                if (e is Core.Jobs.RunFinished { Run: var done }) _unfinished.Remove(done);
                if (e is JobFailed || (e is Core.Jobs.RunFinished && _unfinished.Count == 0))
                {
                    ended = true;
                    break;
                }
            }

            var code = await job.WaitForExit(cancel);
            if (!ended) WorkerMetrics.JobEnded(Stop is null ? "failed" : "stopped");
            if (!ended && Stop is null)
            {
                // A line that was not a valid event may well have been the end the worker never heard.
                var why = job.ProtocolError ?? job.LastError;
                foreach (var run in _unfinished.ToList())
                    await Report("the job's failure", r => r.Failed(new RunFailed(grant.LeaseId,
                        $"the job process exited with code {code} without finishing{(why is { } err ? ": " + err : "")}")), cancel, run: run);
                await _search.Ended();
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Stopped(LeaseStop.WorkerShutdown, "the worker is shutting down");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Lease {Lease}: run {Run} failed in the worker", grant.LeaseId, grant.RunKey);
            try
            {
                if (Stop is null && !shutdown.IsCancellationRequested)
                    foreach (var run in _unfinished.Count > 0 ? _unfinished.ToList() : [grant.Work.Recipe.Name])
                        await Report("the job's failure", r => r.Failed(new RunFailed(grant.LeaseId, $"the worker could not run the job: {e.Message}")), cancel, run: run);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                Stopped(LeaseStop.WorkerShutdown, "the worker is shutting down");
            }
        }
        finally
        {
            _job?.Kill();
            try
            {
                // The job's log and spec stay; its outputs are in Blob storage.
                foreach (var sub in new[] { "out", "resume", "earlier", "baselines", "verify" })
                    if (Directory.Exists(Path.Combine(dir, sub))) Directory.Delete(Path.Combine(dir, sub), recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Relays one event; false when the run said stop.</summary>
    private async Task<bool> Handle(JobEvent e, CancellationToken cancel)
    {
        switch (e)
        {
            case TrainingProgress p:
                var now = DateTimeOffset.UtcNow;
                if (p.Step <= _lastProgressStep) return true;
                if (p.Rl is { } rl) _rlSteps.Add(rl);
                if ((now - _lastProgressAt).TotalSeconds < options.ProgressSeconds && p.Step != p.TotalSteps) return true;
                (_lastProgressStep, _lastProgressAt) = (p.Step, now);
                var progress = new ProgressReport(grant.LeaseId, p.Step, p.Loss) { Rl = _rlSteps.Take(p.Step) };
                return await Report($"progress at step {p.Step}", r => r.Progress(progress), cancel, coalesces: true);

            case Core.Jobs.CheckpointSaved { Step: var step } saved:
                if (_dropped.Contains(saved.Run)) return true;
                if (step > _lastProgressStep)
                {
                    var atCheckpoint = new ProgressReport(grant.LeaseId, step, saved.Loss) { Rl = _rlSteps.Take(step) };   // taken once, whatever the retries
                    if (!await Report($"progress at step {step}", r => r.Progress(atCheckpoint), cancel, coalesces: true)) return false;
                }
                _lastProgressStep = Math.Max(_lastProgressStep, step);
                var runKey = KeyOf(saved.Run);
                var location = store.Location(runKey, step);
                await Upload($"the checkpoint at step {step}",
                    c => store.UploadCheckpoint(runKey, step, saved.Folder, c),
                    c => store.HasCheckpoint(runKey, step, c), cancel);
                if (!await Report($"checkpoint at step {step}", r => r.CheckpointSaved(new Contracts.Runs.CheckpointSaved(grant.LeaseId, step, location, saved.Sha256)), cancel, run: saved.Run))
                    return false;
                await TellPoolCheckpointed();
                return true;

            case PreemptionCheckpointSaved { Step: var step } saved:
                return await Preempted(step, saved, cancel);

            case Core.Jobs.EvaluationStarted { Step: var step } started:
                if (_dropped.Contains(started.Run)) return true;
                return await Report($"evaluation of step {step} started", r => r.EvaluationStarted(new Contracts.Runs.EvaluationStarted(grant.LeaseId, step)), cancel, run: started.Run);

            case CheckpointEvaluated { Step: var step } evaluated:
                if (_dropped.Contains(evaluated.Run)) return true;
                var itemsKey = KeyOf(evaluated.Run);
                await Upload($"the results of step {step}",
                    c => store.UploadItems(itemsKey, step, evaluated.Folder, c),
                    c => store.HasItems(itemsKey, step, c), cancel);
                var scores = evaluated.Scores.Select(s => new SuiteScore(s.Suite, s.Score)
                {
                    Objective = s.ToObjective() is { } o ? new SuiteObjective(s.Objective!, o.DeltaPoints, o.Ci95Low, o.Ci95High) : null,
                }).ToImmutableArray();
                if (!await Report($"evaluation of step {step}", r => r.EvaluationFinished(new EvaluationFinished(grant.LeaseId, step, scores)), cancel, run: evaluated.Run)) return false;
                if (!_members.ContainsKey(evaluated.Run) && await _search.Evaluated(step))
                {
                    // Paused at the rung (it resumes from this checkpoint on a later lease) or stopped early: the job ends here.
                    Stopped(LeaseStop.Search, $"the experiment's search paused or stopped the run at step {step}");
                    return false;
                }
                return true;

            case BaselineLookup lookup:
                // The job waits for this answer; a failed look-up answers "none", so the job evaluates the base itself.
                string? recorded = null;
                try
                {
                    recorded = await _baselines.Lookup(lookup, _directory, cancel);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogWarning(error, "Lease {Lease}: could not look up the platform's baseline; the job evaluates the base", grant.LeaseId);
                }
                await _job!.Answer(recorded ?? "");
                return true;

            case BaselineReady ready:
                try
                {
                    await _baselines.Ready(ready, cancel);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogWarning(error, "Lease {Lease}: could not record the baseline of {Suite}; the run goes on", grant.LeaseId, ready.Suite.Suite);
                }
                return true;

            case Core.Jobs.RunFinished finished:
                if (_dropped.Contains(finished.Run)) return true;
                var reportFile = Path.Combine(finished.Folder, CheckpointFolder.RunReportFile);
                if (File.Exists(reportFile))
                    await Upload("the run's report", c => store.UploadFile($"{KeyOf(finished.Run)}/{CheckpointFolder.RunReportFile}", reportFile, c), null, cancel);
                var final = finished.Step ?? _lastProgressStep;
                var run = finished.Run;
                var heardEnd = finished.Status switch
                {
                    RunStatus.Completed => await Report("the run's end", r => r.Finished(new Contracts.Runs.RunFinished(grant.LeaseId, final, false, $"completed at step {final}")), cancel, run: run),
                    RunStatus.StoppedEarly => await Report("the run's end", r => r.Finished(new Contracts.Runs.RunFinished(grant.LeaseId, final, true, finished.Reason ?? $"stopped early at step {final}")), cancel, run: run),
                    RunStatus.Diverged => await Report("the run's end", r => r.Failed(new RunFailed(grant.LeaseId, $"diverged: {finished.Reason}")), cancel, run: run),
                    _ => await Report("the run's end", r => r.Failed(new RunFailed(grant.LeaseId, finished.Reason ?? "the job failed")), cancel, run: run),
                };
                if (!_members.ContainsKey(run)) await _search.Ended();
                return heardEnd;

            case JobFailed failed:
                // A job that failed before it finished its runs fails each of them (an evaluation job names none: its base failed).
                var failedRuns = _unfinished.Count > 0 ? _unfinished.ToList() : [grant.Work.Recipe.Name];
                var heard = true;
                foreach (var each in failedRuns)
                    heard &= await Report("the run's end", r => r.Failed(new RunFailed(grant.LeaseId, failed.Reason)), cancel, run: each);
                await _search.Ended();
                return heard;

            case PreparationProgress { Phase: PreparationPhase.LoadBase } loaded:
                logger.LogInformation("Lease {Lease}: the job loaded the base from {Folder} for {Runs} run(s)", grant.LeaseId, loaded.Detail, 1 + _members.Count);
                return true;

            default:
                // Preparation and the start of training: the run grain hears of them through Started and Progress.
                return true;
        }
    }

    /// <summary>
    /// The job checkpointed for the preemption: upload, read back and verify the checkpoint, record it on the run (unscored), and tell the pool,
    /// which ends the lease and queues the run to resume from it. Always false: the job stops here. Should verification fail, the pool is not
    /// told, and its grace deadline falls back to the run's last checkpoint.
    /// </summary>
    private async Task<bool> Preempted(long step, PreemptionCheckpointSaved saved, CancellationToken cancel)
    {
        if (step > _lastProgressStep)
        {
            var atCheckpoint = new ProgressReport(grant.LeaseId, step, saved.Loss) { Rl = _rlSteps.Take(step) };
            await Report($"progress at step {step}", r => r.Progress(atCheckpoint), cancel, coalesces: true);
        }
        var location = store.Location(grant.RunKey, step);
        await Upload($"the preemption checkpoint at step {step}",
            c => store.UploadCheckpoint(grant.RunKey, step, saved.Folder, c),
            c => store.HasCheckpoint(grant.RunKey, step, c), cancel);
        var problem = await _delivery.Retry($"verifying the preemption checkpoint at step {step}",
            c => store.VerifyUploaded(grant.RunKey, step, saved.Sha256, Path.Combine(_directory, "verify"), c), cancel);
        if (problem is not null)
        {
            logger.LogWarning("Lease {Lease}: the preemption checkpoint at step {Step} did not verify ({Problem}); the pool falls back to the last one", grant.LeaseId, step, problem);
            Stopped(LeaseStop.Preempted, $"preempted; the checkpoint at step {step} did not verify: {problem}");
            return false;
        }

        var recorded = await Report($"preemption checkpoint at step {step}",
            r => r.CheckpointSaved(new Contracts.Runs.CheckpointSaved(grant.LeaseId, step, location, saved.Sha256) { ForPreemption = true }), cancel);
        var ended = recorded && await _delivery.Retry("telling the pool the run is checkpointed", _ => _pool.Preempted(workerId, grant.LeaseId, step), cancel);
        Stopped(LeaseStop.Preempted, ended
            ? $"preempted; checkpointed at step {step}, verified"
            : $"preempted; the checkpoint at step {step} came after the pool's grace (or the lease ended)");
        logger.LogInformation("Lease {Lease}: run {Run} {Why}", grant.LeaseId, grant.RunKey, StoppedBecause);
        return false;
    }

    /// <summary>The pool prefers victims whose latest checkpoint is recent; a failure here costs only that preference.</summary>
    private async Task TellPoolCheckpointed()
    {
        try
        {
            await _pool.CheckpointUploaded(workerId, grant.LeaseId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "Lease {Lease}: could not tell the pool of the checkpoint", grant.LeaseId);
        }
    }

    /// <summary>The job's throughput and outcome as metrics; every event counts, including those not reported to the run grain.</summary>
    private void Measure(JobEvent e)
    {
        switch (e)
        {
            case TrainingProgress p:
                WorkerMetrics.Step(_deviceKind, p.StepTokens, p.StepSeconds);
                break;
            case CheckpointEvaluated evaluated:
                WorkerMetrics.Evaluated(_deviceKind, evaluated.EvalItems, evaluated.EvalSeconds);
                break;
            case Core.Jobs.RunFinished finished:
                WorkerMetrics.JobEnded(Outcome(finished.Status));
                break;
            case JobFailed:
                WorkerMetrics.JobEnded("failed");
                break;
        }
    }

    /// <summary>The outcome label of the jobs-ended metric (the report's status names).</summary>
    private static string Outcome(RunStatus status) => status switch
    {
        RunStatus.Completed => "completed",
        RunStatus.StoppedEarly => "stopped_early",
        RunStatus.Diverged => "diverged",
        _ => "failed",
    };

    /// <summary>
    /// Sends a report in order, through outages (see <see cref="ReportDelivery"/>), to <paramref name="run"/> (the leased run when
    /// null, or an evaluation group's member); false when the leased run said stop. A member that says stop is dropped instead.
    /// </summary>
    private Task<bool> Report(string what, Func<IRunGrain, Task<ReportAck>> send, CancellationToken cancel, bool coalesces = false, string? run = null)
    {
        if (run is not null && _members.TryGetValue(run, out var memberKey))
            return _delivery.Deliver(new ReportStep($"{what} ({run})", async _ => HeardMember(run, await send(grains.GetGrain<IRunGrain>(memberKey)))) { Coalesces = coalesces }, cancel);
        return _delivery.Deliver(new ReportStep(what, async _ => Heard(await send(_run))) { Coalesces = coalesces }, cancel);
    }

    /// <summary>The run key of a run the job names: a member's, or the leased run's.</summary>
    private string KeyOf(string? run) => run is not null && _members.TryGetValue(run, out var key) ? key : grant.RunKey;

    /// <summary>
    /// The lead of an evaluation-only experiment brings its members (Core's <see cref="EvaluationGroup"/>): each still to be evaluated
    /// joins this lease; one that ended already (an earlier job of the lead evaluated it) is left out.
    /// </summary>
    private async Task JoinMembers(Core.Specs.SpecFiles files, CancellationToken cancel)
    {
        _unfinished.Add(grant.Work.Recipe.Name);
        Core.Specs.LabSpec spec;
        try
        {
            spec = Core.Specs.SpecLoader.ParseUnder(grant.Work.SpecText, "spec.yaml", files);
        }
        catch (Core.Specs.SpecValidationException)
        {
            return; // the job reports what is wrong with the spec
        }
        if (EvaluationGroup.LeadOf(spec) != grant.Work.Recipe.Name) return;
        var (tenant, experiment) = (Contracts.Common.GrainKeys.TenantOf(grant.RunKey), Contracts.Common.GrainKeys.LeafOf(Contracts.Common.GrainKeys.ExperimentOf(grant.RunKey)));
        var lease = new LeaseInfo(grant.LeaseId, workerId, grant.DeviceIds);
        foreach (var member in EvaluationGroup.MembersOf(spec))
        {
            var key = Contracts.Common.GrainKeys.Run(tenant, experiment, member);
            var joined = await _delivery.Retry($"run {member} joining the evaluation job", _ => grains.GetGrain<IRunGrain>(key).JoinLease(lease, grant.Work.Recipe.Name), cancel);
            if (!joined.Accepted)
            {
                logger.LogInformation("Lease {Lease}: run {Run} does not join the evaluation job ({Why})", grant.LeaseId, key, joined.Error);
                continue;
            }
            _members[member] = key;
            _unfinished.Add(member);
        }
        logger.LogInformation("Lease {Lease}: one evaluation job for {Runs} run(s) on one base: {Names}", grant.LeaseId, _unfinished.Count,
            string.Join(", ", new[] { grant.Work.Recipe.Name }.Concat(_members.Keys)));
    }

    /// <summary>A member's answer: a stop leaves that member out of the rest of the job, which goes on for the others.</summary>
    private bool HeardMember(string run, ReportAck ack)
    {
        if (ack.Outcome == ReportOutcome.Rejected)
            logger.LogWarning("Lease {Lease}: run {Run} rejected a report: {Error}", grant.LeaseId, _members[run], ack.Error);
        if (ack.StopRequested && _dropped.Add(run))
        {
            _unfinished.Remove(run);
            logger.LogInformation("Lease {Lease}: run {Run} says stop ({Why}); the job goes on without it", grant.LeaseId, _members[run], ack.Error ?? $"the run is {ack.State}");
        }
        return true;
    }

    /// <summary>An upload in order with the reports; after an outage only what storage no longer has is uploaded again.</summary>
    private Task Upload(string what, Func<CancellationToken, Task> upload, Func<CancellationToken, Task<bool>>? stored, CancellationToken cancel)
    {
        async Task<bool> Once(CancellationToken c)
        {
            await upload(c);
            return true;
        }

        return _delivery.Deliver(new ReportStep($"uploading {what}", Once)
        {
            Replay = stored is null ? Once : async c => await stored(c) || await Once(c),
        }, cancel);
    }

    private bool Heard(ReportAck ack)
    {
        if (ack.Outcome == ReportOutcome.Rejected)
            logger.LogWarning("Lease {Lease}: run {Run} rejected a report: {Error}", grant.LeaseId, grant.RunKey, ack.Error);
        if (!ack.StopRequested) return true;
        Stopped(ack.State == RunState.Cancelled ? LeaseStop.RunCancelled : LeaseStop.RunRefused, ack.Error ?? $"the run is {ack.State}");
        logger.LogInformation("Lease {Lease}: run {Run} says stop ({Why})", grant.LeaseId, grant.RunKey, StoppedBecause);
        return false;
    }
}
