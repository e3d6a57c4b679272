using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Search;
using ForgetLab.Grains.Runs;

namespace ForgetLab.Grains.Experiments;

// The experiment's search (search: { kind: halving }): a rung is decided once every live run has evaluated its checkpoint
// there; the runs Core's HalvingSearch finds dominated are stopped early and their leases go back to the pool. Runs are not
// paused at a rung, so a run that gets there first trains on until the last one has been scored.
public sealed partial class ExperimentGrain
{
    // The search reads its own tenant's runs; the caller is the platform acting for that tenant.
    private Caller SearchReader => new(TenantId, TenantRole.Viewer, "search");

    public async Task<ImmutableArray<string>> CheckpointEvaluated(string runId, long step)
    {
        if (!Exists || Current.Search is not { } search || Current.Cancelled || !Current.RunIds.Contains(runId)) return [];

        var stopped = ImmutableArray.CreateBuilder<string>();
        foreach (var rung in search.Rungs.Where(r => r <= step))
        {
            if (Current.Rungs.FirstOrDefault(d => d.Step == rung) is not { } decision)
            {
                // Rungs are decided in order: a later one waits for the one before it.
                if (await Decide(rung, search.Keep) is not { } decided) break;
                decision = decided;
                await Save(Current with { Rungs = Current.Rungs.Add(decision) });
            }

            if (rung <= Current.AppliedThrough) continue;
            foreach (var stop in decision.Stopped)
                if (await Stop(stop)) stopped.Add(stop.Run);
            await Save(Current with { AppliedThrough = rung });
        }

        return stopped.ToImmutable();
    }

    /// <summary>The rung's decision, or null while a live run has not evaluated its checkpoint there.</summary>
    private async Task<RungDecision?> Decide(long rung, int keep)
    {
        var views = await Task.WhenAll(Current.RunIds.Select(id => Run(id).Get(SearchReader)));
        var live = views.Select(v => v.Value).OfType<RunView>().Where(run => !RunLifecycle.HasEnded(run.State)).ToList();
        var points = new List<RungPoint>();
        foreach (var run in live)
        {
            if (run.Checkpoints.FirstOrDefault(c => c.Step == rung) is not { EvaluatedAt: not null } checkpoint) return null;
            points.Add(SearchObjectives.Point(run.Recipe.Name, [.. checkpoint.Scores.Select(RunForecasts.Objective).OfType<ObjectiveSuite>()]));
        }

        var stops = live.Count > keep ? HalvingSearch.Dominated(rung, points, keep) : [];
        return new RungDecision(rung, clock.UtcNow, [.. points.Select(p => p.Run)], [.. stops.Select(d => new RungStop(d.Run, d.Reason))]);
    }

    /// <summary>Stops the run and gives its devices back: a held lease is released, a queued run leaves the queue. True when stopped now or before for this reason.</summary>
    private async Task<bool> Stop(RungStop stop)
    {
        var result = await Run(stop.Run).StopEarly(stop.Reason);
        var pool = GrainFactory.GetGrain<IGpuPoolGrain>(GrainKeys.Pool);
        if (result.Lease is { } lease) await pool.ReleaseLease(lease.WorkerId, lease.LeaseId);
        else if (result.From == RunState.Queued) await pool.Dequeue([GrainKeys.Run(TenantId, ExperimentId, stop.Run)]);
        return result.Stopped;
    }
}
