using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Pool;
using Microsoft.Extensions.Logging;

namespace ForgetLab.Worker;

/// <summary>
/// Tells the run's experiment that a checkpoint was scored or that the run ended, so its search can decide a rung once every
/// run is there. The experiment may answer that this run waits paused at the rung (or was stopped): its lease has then been
/// given back and the job must stop. A failed notice is only logged: the job trains on, and the next notice of any run of the
/// experiment (or the experiment's own reminder) decides every rung that is ready, this one included.
/// </summary>
public sealed partial class SearchNotice(LeaseGrant grant, IGrainFactory grains, ILogger logger)
{
    /// <summary>The checkpoint at <paramref name="step"/> was scored; true when the search paused or stopped this run, so the job must stop.</summary>
    public async Task<bool> Evaluated(long step)
    {
        if (!GrainKeys.TrySplitRun(grant.RunKey, out var tenant, out var experiment, out var run)) return false;
        try
        {
            var answer = await grains.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, experiment)).CheckpointEvaluated(run, step);
            if (!answer.Stopped.IsEmpty) RunsStopped(grant.LeaseId, step, string.Join(", ", answer.Stopped));
            if (answer.Paused) PausedAtRung(grant.LeaseId, grant.RunKey, step);
            return answer.Paused || answer.Stopped.Contains(run);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            NoticeFailed(e, grant.LeaseId, step);
            return false;
        }
    }

    /// <summary>The run ended (its end was reported): a rung that waited only for it can be decided.</summary>
    public async Task Ended()
    {
        if (!GrainKeys.TrySplitRun(grant.RunKey, out var tenant, out var experiment, out var run)) return;
        try
        {
            var stopped = await grains.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, experiment)).RunEnded(run);
            if (!stopped.IsEmpty) RunsStoppedAtEnd(grant.LeaseId, string.Join(", ", stopped));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            EndNoticeFailed(e, grant.LeaseId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {Lease}: the search stopped dominated runs at step {Step}: {Runs}")]
    private partial void RunsStopped(string lease, long step, string runs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {Lease}: the run's end let the search decide a rung; it stopped dominated runs: {Runs}")]
    private partial void RunsStoppedAtEnd(string lease, string runs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {Lease}: run {Run} waits paused at rung {Step} for the search's other runs; its lease went back to the pool")]
    private partial void PausedAtRung(string lease, string run, long step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Lease}: could not tell the experiment's search of step {Step}; a later checkpoint decides it")]
    private partial void NoticeFailed(Exception error, string lease, long step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Lease}: could not tell the experiment's search that the run ended; its reminder decides the rung")]
    private partial void EndNoticeFailed(Exception error, string lease);
}
