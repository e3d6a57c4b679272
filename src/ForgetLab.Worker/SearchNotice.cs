using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Pool;
using Microsoft.Extensions.Logging;

namespace ForgetLab.Worker;

/// <summary>
/// Tells the run's experiment that a checkpoint was scored, so its search can decide a rung once every live run is there. A
/// failed notice is only logged: the job trains on, and the next checkpoint any run of the experiment scores decides every
/// rung that is ready, this one included.
/// </summary>
public sealed partial class SearchNotice(LeaseGrant grant, IGrainFactory grains, ILogger logger)
{
    public async Task Evaluated(long step)
    {
        if (!GrainKeys.TrySplitRun(grant.RunKey, out var tenant, out var experiment, out var run)) return;
        try
        {
            var stopped = await grains.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, experiment)).CheckpointEvaluated(run, step);
            if (!stopped.IsEmpty) RunsStopped(grant.LeaseId, step, string.Join(", ", stopped));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            NoticeFailed(e, grant.LeaseId, step);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {Lease}: the search stopped dominated runs at step {Step}: {Runs}")]
    private partial void RunsStopped(string lease, long step, string runs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Lease}: could not tell the experiment's search of step {Step}; a later checkpoint decides it")]
    private partial void NoticeFailed(Exception error, string lease, long step);
}
