using System.Collections.Immutable;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Lab.Jobs;
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
/// </summary>
public sealed class LeaseRunner(
    LeaseGrant grant, IGrainFactory grains, CheckpointStore store, WorkerOptions options, string cliDll, string workDirectory, int threadsPerSlot,
    ReconnectBackoff backoff, ILogger logger)
{
    private readonly IRunGrain _run = grains.GetGrain<IRunGrain>(grant.RunKey);
    private readonly CancellationTokenSource _lost = new();
    private readonly string _deviceKind = grant.DeviceIds.Any(d => d.StartsWith("cuda:", StringComparison.Ordinal)) ? "cuda" : "cpu";
    private readonly BaselineShare _baselines = new(grant, grains, store, logger);
    private readonly ReportDelivery _delivery = new(backoff, logger, grant.LeaseId);
    private JobProcess? _job;
    private string? _directory;
    private long _lastProgressStep;
    private DateTimeOffset _lastProgressAt = DateTimeOffset.MinValue;

    public LeaseGrant Grant => grant;

    /// <summary>How the lease's reports fared (failed tries, replays after an outage).</summary>
    public ReportDelivery Delivery => _delivery;

    /// <summary>Why the job ended without a final report, when it did: the lease was lost or the run said stop.</summary>
    public string? StoppedBecause { get; private set; }

    /// <summary>The pool no longer holds the lease: stop the job, report nothing more.</summary>
    public void LeaseLost(string reason)
    {
        StoppedBecause ??= reason;
        _lost.Cancel();
        _job?.Kill();
    }

    public async Task RunAsync(CancellationToken shutdown)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(shutdown, _lost.Token);
        var cancel = linked.Token;
        var dir = Path.Combine(workDirectory, string.Concat(grant.LeaseId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')));
        _directory = dir;
        try
        {
            Directory.CreateDirectory(dir);
            var spec = Path.Combine(dir, "spec.yaml");
            await File.WriteAllTextAsync(spec, grant.Work.SpecText, cancel);
            var resume = await _delivery.Retry("downloading the checkpoint to resume from",
                c => store.DownloadResumable(grant.RunKey, grant.Work.ResumeFrom, Path.Combine(dir, "resume"), c), cancel);
            // The reports of the checkpoints before the one resumed from, so the run's report keeps every checkpoint it made.
            var earlier = resume is null ? null : await _delivery.Retry("downloading the earlier checkpoints' reports",
                c => store.DownloadEarlierReports(grant.RunKey, Lab.Training.TrainingCheckpoint.StepOf(resume), Path.Combine(dir, "earlier"), c), cancel);
            var files = Core.Specs.SpecFiles.ForPlatform(options.SpecBaseDirectory);
            var model = await _delivery.Retry("downloading the registered model",
                c => new RegisteredModels(grains, store, workDirectory, logger).Prepare(grant.TenantId, grant.Work.SpecText, files, c), cancel);

            if (await Report("the job's start", r => r.Started(new RunStarted(grant.LeaseId)), cancel) is false) return;

            var args = new List<string> { "lab", "job", spec, "--run", grant.Work.Recipe.Name, "--out", Path.Combine(dir, "out"), "--baseline-exchange" };
            if (resume is not null)
            {
                args.AddRange(["--resume", resume]);
                // The job before this one saved the checkpoint but was stopped before scoring it.
                if (grant.Work.ResumeFrom is { EvaluatedAt: null } latest && Lab.Training.TrainingCheckpoint.StepOf(resume) == latest.Step)
                    args.Add("--evaluate-resumed");
                if (earlier is not null) args.AddRange(["--earlier-reports", earlier]);
            }
            if (options.WorldDataDirectory is { Length: > 0 } world) args.AddRange(["--world-data", world]);
            // A tenant's spec: the job applies the platform's file rule again (defence in depth).
            args.Add("--platform-paths");
            if (files.Directory is { } specDirectory) args.AddRange(["--spec-dir", specDirectory]);
            if (model is not null) args.AddRange(["--model-dir", model]);
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
                if (e.Event == JobEvent.Kinds.Finished)
                {
                    ended = true;
                    break;
                }
            }

            var code = await job.WaitForExit(cancel);
            if (!ended) WorkerMetrics.JobEnded(StoppedBecause is null ? "failed" : "stopped");
            if (!ended && StoppedBecause is null)
            {
                await Report("the job's failure", r => r.Failed(new RunFailed(grant.LeaseId,
                    $"the job process exited with code {code} without finishing{(job.LastError is { } err ? ": " + err : "")}")), cancel);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            StoppedBecause ??= "the worker is shutting down";
        }
        catch (Exception e)
        {
            logger.LogError(e, "Lease {Lease}: run {Run} failed in the worker", grant.LeaseId, grant.RunKey);
            try
            {
                if (StoppedBecause is null && !shutdown.IsCancellationRequested)
                    await Report("the job's failure", r => r.Failed(new RunFailed(grant.LeaseId, $"the worker could not run the job: {e.Message}")), cancel);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                StoppedBecause ??= "the worker is shutting down";
            }
        }
        finally
        {
            _job?.Kill();
            try
            {
                // The job's log and spec stay; its outputs are in Blob storage.
                foreach (var sub in new[] { "out", "resume", "earlier", "baselines" })
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
        switch (e.Event)
        {
            case JobEvent.Kinds.Progress when e.Step is { } step:
                var now = DateTimeOffset.UtcNow;
                if (step <= _lastProgressStep || (now - _lastProgressAt).TotalSeconds < options.ProgressSeconds && step != e.TotalSteps) return true;
                (_lastProgressStep, _lastProgressAt) = (step, now);
                return await Report($"progress at step {step}", r => r.Progress(new ProgressReport(grant.LeaseId, step, e.Loss)), cancel, coalesces: true);

            case JobEvent.Kinds.CheckpointSaved when e.Step is { } step && e.Folder is { } folder && e.Sha256 is { } sha:
                if (step > _lastProgressStep && !await Report($"progress at step {step}", r => r.Progress(new ProgressReport(grant.LeaseId, step, e.Loss)), cancel, coalesces: true)) return false;
                _lastProgressStep = Math.Max(_lastProgressStep, step);
                var location = store.Location(grant.RunKey, step);
                await Upload($"the checkpoint at step {step}",
                    c => store.UploadCheckpoint(grant.RunKey, step, folder, c),
                    c => store.HasCheckpoint(grant.RunKey, step, c), cancel);
                return await Report($"checkpoint at step {step}", r => r.CheckpointSaved(new CheckpointSaved(grant.LeaseId, step, location, sha)), cancel);

            case JobEvent.Kinds.EvaluationStarted when e.Step is { } step:
                return await Report($"evaluation of step {step} started", r => r.EvaluationStarted(new EvaluationStarted(grant.LeaseId, step)), cancel);

            case JobEvent.Kinds.CheckpointEvaluated when e.Step is { } step && e.Folder is { } folder:
                await Upload($"the results of step {step}",
                    c => store.UploadItems(grant.RunKey, step, folder, c),
                    c => store.HasItems(grant.RunKey, step, c), cancel);
                var scores = (e.Scores ?? []).Select(s => new SuiteScore(s.Suite, s.Score)).ToImmutableArray();
                return await Report($"evaluation of step {step}", r => r.EvaluationFinished(new EvaluationFinished(grant.LeaseId, step, scores)), cancel);

            case JobEvent.Kinds.BaselineLookup:
                // The job waits for this answer; a failed look-up answers "none", so the job evaluates the base itself.
                string? recorded = null;
                try
                {
                    recorded = await _baselines.Lookup(e, _directory!, cancel);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogWarning(error, "Lease {Lease}: could not look up the platform's baseline; the job evaluates the base", grant.LeaseId);
                }
                await _job!.Answer(recorded ?? "");
                return true;

            case JobEvent.Kinds.BaselineReady:
                try
                {
                    await _baselines.Ready(e, cancel);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogWarning(error, "Lease {Lease}: could not record the baseline of {Suite}; the run goes on", grant.LeaseId, e.BaselineSuites?.FirstOrDefault()?.Suite);
                }
                return true;

            case JobEvent.Kinds.Finished:
                if (e.Folder is { } runFolder && File.Exists(Path.Combine(runFolder, RecipeJob.RunReportFile)))
                {
                    var reportFile = Path.Combine(runFolder, RecipeJob.RunReportFile);
                    await Upload("the run's report", c => store.UploadFile($"{grant.RunKey}/{RecipeJob.RunReportFile}", reportFile, c), null, cancel);
                }
                var final = e.Step ?? _lastProgressStep;
                return e.Status switch
                {
                    "completed" => await Report("the run's end", r => r.Finished(new RunFinished(grant.LeaseId, final, false, $"completed at step {final}")), cancel),
                    "stopped_early" => await Report("the run's end", r => r.Finished(new RunFinished(grant.LeaseId, final, true, e.Reason ?? $"stopped early at step {final}")), cancel),
                    "diverged" => await Report("the run's end", r => r.Failed(new RunFailed(grant.LeaseId, $"diverged: {e.Reason}")), cancel),
                    _ => await Report("the run's end", r => r.Failed(new RunFailed(grant.LeaseId, e.Reason ?? "the job failed")), cancel),
                };

            default:
                return true;
        }
    }

    /// <summary>The job's throughput and outcome as metrics; every event counts, including those not reported to the run grain.</summary>
    private void Measure(JobEvent e)
    {
        switch (e.Event)
        {
            case JobEvent.Kinds.Progress when e.StepTokens is { } tokens && e.StepSeconds is { } seconds:
                WorkerMetrics.Step(_deviceKind, tokens, seconds);
                break;
            case JobEvent.Kinds.CheckpointEvaluated when e.EvalItems is { } items && e.EvalSeconds is { } seconds:
                WorkerMetrics.Evaluated(_deviceKind, items, seconds);
                break;
            case JobEvent.Kinds.Finished:
                WorkerMetrics.JobEnded(e.Status ?? "failed");
                break;
        }
    }

    /// <summary>Sends a report in order, through outages (see <see cref="ReportDelivery"/>); false when the run said stop.</summary>
    private Task<bool> Report(string what, Func<IRunGrain, Task<ReportAck>> send, CancellationToken cancel, bool coalesces = false) =>
        _delivery.Deliver(new ReportStep(what, async _ => Heard(await send(_run))) { Coalesces = coalesces }, cancel);

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
        StoppedBecause ??= ack.Error ?? $"the run is {ack.State}";
        logger.LogInformation("Lease {Lease}: run {Run} says stop ({Why})", grant.LeaseId, grant.RunKey, StoppedBecause);
        return false;
    }
}
