using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Search;
using ForgetLab.Grains.Runs;

namespace ForgetLab.Grains.Experiments;

// The experiment's search (search: { kind: halving }), as the lab runs it: every run stops at a rung once it has scored its
// checkpoint there and waits Paused, its lease given back to the pool, until each of the experiment's runs has scored that
// checkpoint or ended. The rung is then decided on that one set of runs: Core's HalvingSearch stops the dominated ones early
// and the paused others go back on the queue to resume from the rung's checkpoint. The last run to arrive never pauses.
// A paused run gives its device back rather than keeping it: on a shared pool an idle device is another run's, and a grid
// larger than its tenant's share could otherwise never finish a rung (the runs holding devices would wait for runs that
// cannot get one). Decisions are triggered by the workers' notices (a checkpoint scored, a run ended) and, while a run is
// paused, by a reminder, so a lost notice delays a rung by at most a minute but never leaves runs paused for good.
public sealed partial class ExperimentGrain : IRemindable
{
    private const string RungReminder = "search-rungs";

    /// <summary>How often a rung with paused runs is decided again without a notice (Orleans' shortest reminder period).</summary>
    private static readonly TimeSpan RungRecheck = TimeSpan.FromMinutes(1);

    // The search reads its own tenant's runs; the caller is the platform acting for that tenant.
    private Caller SearchReader => new(TenantId, TenantRole.Viewer, "search");

    private IGpuPoolGrain Pool => GrainFactory.GetGrain<IGpuPoolGrain>(GrainKeys.Pool);

    public async Task<RungAnswer> CheckpointEvaluated(string runId, long step)
    {
        if (!Searches(runId)) return RungAnswer.None;
        var stopped = await Advance();
        if (!Current.Search!.Rungs.Contains(step) || Current.Rungs.Any(d => d.Step == step)) return new RungAnswer(stopped, false);

        // The rung still waits for another run: this one waits there too, and its device serves the pool meanwhile.
        var pause = await Run(runId).PauseAtRung(step, $"paused at rung {step}: waits until every run of the search has scored its checkpoint there");
        if (!pause.Paused) return new RungAnswer(stopped, false);
        if (pause.Lease is { } lease) await Pool.ReleaseLease(lease.WorkerId, lease.LeaseId);
        await this.RegisterOrUpdateReminder(RungReminder, RungRecheck, RungRecheck);
        return new RungAnswer(stopped, true);
    }

    public async Task<ImmutableArray<string>> RunEnded(string runId) => Searches(runId) ? await Advance() : [];

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == SchedulingReminder)
        {
            await RemindScheduling();
            return;
        }

        if (reminderName != RungReminder) return;
        if (Exists && Current.Search is not null && !Current.Cancelled) await Advance();
        var views = await Task.WhenAll(Current.RunIds.Select(id => Run(id).Get(SearchReader)));
        if (Current.Cancelled || !views.Any(v => v.Value?.State == RunState.Paused))
            if (await this.GetReminder(RungReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private bool Searches(string runId) => Exists && Current.Search is not null && !Current.Cancelled && Current.RunIds.Contains(runId);

    /// <summary>Decides, in order, every rung that is ready and applies what was not yet applied; returns the runs stopped now.</summary>
    private async Task<ImmutableArray<string>> Advance()
    {
        var search = Current.Search!;
        var stopped = ImmutableArray.CreateBuilder<string>();
        foreach (var rung in search.Rungs)
        {
            if (Current.Rungs.FirstOrDefault(d => d.Step == rung) is not { } decision)
            {
                // Rungs are decided in order: a later one waits for the one before it.
                if (await Decide(rung, search.Keep) is not { } decided) break;
                decision = decided;
                await Save(Current with { Rungs = Current.Rungs.Add(decision) });
            }

            if (rung <= Current.AppliedThrough) continue;
            var stops = decision.Stopped.Select(s => s.Run).ToHashSet(StringComparer.Ordinal);
            foreach (var stop in decision.Stopped)
                if (await Stop(stop)) stopped.Add(stop.Run);
            foreach (var run in decision.Compared.Where(r => !stops.Contains(r)))
                await Resume(run, rung);
            await Save(Current with { AppliedThrough = rung });
        }

        return stopped.ToImmutable();
    }

    /// <summary>
    /// The rung's decision, or null while a run that has not ended has yet to score its checkpoint there (or to be created). A run that ended
    /// before the rung is neither waited for nor compared; one that ended after scoring its rung checkpoint is compared (it may
    /// dominate the others) but is not stopped, and does not count towards keep. Each compared checkpoint's per-item outcomes
    /// are read once every run is there (not before: an undecided rung reads nothing), so runs are compared by the paired
    /// test; a run whose items are missing is compared by the intervals (<see cref="HalvingSearch.Dominates"/>).
    /// </summary>
    private async Task<RungDecision?> Decide(long rung, int keep)
    {
        // A run of a large grid not created yet has no view; the rung waits for it like any other.
        if (!Current.Scheduled) return null;
        var views = await Task.WhenAll(Current.RunIds.Select(id => Run(id).Get(SearchReader)));
        var compared = new List<(string Run, CheckpointRecord Checkpoint)>();
        var ended = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in views.Select(v => v.Value).OfType<RunView>())
        {
            var scored = run.Checkpoints.FirstOrDefault(c => c.Step == rung && c.EvaluatedAt is not null);
            if (RunLifecycle.HasEnded(run.State))
            {
                if (scored is null) continue;
                ended.Add(run.Recipe.Name);
            }
            else if (scored is null) return null;
            compared.Add((run.Recipe.Name, scored!));
        }

        var points = await Task.WhenAll(compared.Select(c => PointOf(c.Run, c.Checkpoint)));
        var stops = points.Length - ended.Count > keep ? HalvingSearch.Dominated(rung, points, keep, ended) : [];
        return new RungDecision(rung, clock.UtcNow, [.. points.Select(p => p.Run)], [.. stops.Select(d => new RungStop(d.Run, d.Reason) { Test = d.OnItems ? RungStop.PairedTest : RungStop.IntervalsTest })]);
    }

    /// <summary>
    /// A run's point at its scored rung checkpoint, with the objective suites' per-item outcomes where its <c>items.jsonl</c>
    /// has them. A failed read throws, and the rung is decided again on the next notice or reminder: deciding it without the
    /// items would change the rule for this rung for good.
    /// </summary>
    private async Task<RungPoint> PointOf(string run, CheckpointRecord checkpoint)
    {
        var objectives = checkpoint.Scores.Select(RunForecasts.Objective).OfType<ObjectiveSuite>().ToList();
        var rows = objectives.Count == 0 ? null : await checkpointItems.Read(checkpoint.BlobLocation, CancellationToken.None);
        return SearchObjectives.PointAt(run, objectives, rows);
    }

    /// <summary>Stops the run and gives its devices back: a held lease is released, a queued run leaves the queue. True when stopped now or before for this reason.</summary>
    private async Task<bool> Stop(RungStop stop)
    {
        var result = await Run(stop.Run).StopEarly(stop.Reason);
        if (result.Lease is { } lease) await Pool.ReleaseLease(lease.WorkerId, lease.LeaseId);
        else if (result.From == RunState.Queued) await Pool.Dequeue([GrainKeys.Run(TenantId, ExperimentId, stop.Run)]);
        return result.Stopped;
    }

    /// <summary>A run paused at the decided rung goes back on the queue; one that is not paused there (it never paused, or ended) refuses, harmlessly.</summary>
    private async Task Resume(string run, long rung)
    {
        var requeued = await Run(run).ResumeFromRung(rung, $"rung {rung} decided: the search keeps it");
        if (requeued.Entry is { } entry) await Pool.Enqueue([entry]);
    }
}
