using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Specs;

namespace ForgetLab.Grains.Experiments;

// Scheduling an experiment's runs, one batch per grain turn. Creating and queuing a run is two storage writes; a 1,000-run grid
// done in one Submit call took 15 s on an idle 2-core machine and over Orleans' 30 s response timeout under load (HTTP 500).
// So Submit creates and queues the first batch itself (a grid of at most one batch is fully Queued when Submit returns, as
// before) and a grain timer does the rest, one batch per tick: between ticks the grain answers Get, ListRuns and Cancel, and
// runs not yet created list as Pending. Progress (RunsScheduled) is saved after each batch; a reminder, registered before the
// first batch of a larger grid, brings the grain back after a silo restart, and activation re-arms the timer, which goes on
// from the saved count (Create and Enqueue are idempotent on the run grain, so a batch cut short is simply repeated).
// Cancel stops scheduling: no run is created or queued once the experiment is cancelled; runs that were never created list as
// Cancelled.
public sealed partial class ExperimentGrain
{
    /// <summary>
    /// Runs created and queued per grain turn: 200 storage writes, well under a second on an idle machine and a few under CI
    /// load, against Orleans' 30 s response timeout; ten batches cover the largest grid a spec may expand to (1,000 runs).
    /// </summary>
    public const int RunBatch = 100;

    private const string SchedulingReminder = "schedule-runs";

    /// <summary>How often a silo that lost its timer (a restart) is reminded to go on scheduling (Orleans' shortest reminder period).</summary>
    private static readonly TimeSpan SchedulingRecheck = TimeSpan.FromMinutes(1);

    private IGrainTimer? _batchTimer;

    private LabSpec? _spec;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (SchedulingUnfinished) ArmBatchTimer();
        return Task.CompletedTask;
    }

    private bool SchedulingUnfinished => Exists && !Current.Scheduled && !Current.Cancelled;

    /// <summary>The submitted spec, parsed once per activation (it was valid at submission, so it parses again).</summary>
    private LabSpec Spec() => _spec ??= Parse(Current.Submission!).Spec
        ?? throw new InvalidOperationException($"experiment '{Key}': its stored spec no longer parses");

    /// <summary>
    /// Schedules the first batch now and, when runs remain, leaves the rest to the timer (and the reminder, registered first, so
    /// a crash before the timer's first tick is still resumed).
    /// </summary>
    private async Task ScheduleFirstBatch()
    {
        if (!SchedulingUnfinished) return;
        if (Current.RunIds.Length - Current.RunsScheduled > RunBatch)
            await this.RegisterOrUpdateReminder(SchedulingReminder, SchedulingRecheck, SchedulingRecheck);
        await ScheduleBatch();
        if (SchedulingUnfinished) ArmBatchTimer();
        else if (Current.RunIds.Length > RunBatch) await StopScheduling(); // only a larger grid had a reminder to remove
    }

    private void ArmBatchTimer()
    {
        // At least a millisecond: a timer's zero period means a single tick.
        var interval = TimeSpan.FromTicks(Math.Max(options.Value.RunBatchInterval.Ticks, TimeSpan.TicksPerMillisecond));
        _batchTimer ??= this.RegisterGrainTimer(NextBatch, new GrainTimerCreationOptions(interval, interval) { KeepAlive = true });
    }

    private async Task NextBatch(CancellationToken cancellationToken)
    {
        try
        {
            if (SchedulingUnfinished) await ScheduleBatch();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not retried every tick (a run refusing its setup would refuse it again): the reminder arms the timer again
            // within a minute, and Orleans logs the failure.
            _batchTimer?.Dispose();
            _batchTimer = null;
            throw;
        }

        if (!SchedulingUnfinished) await StopScheduling();
    }

    /// <summary>A reminder tick: the timer is armed again if a restart lost it, or the reminder goes once scheduling is over.</summary>
    private async Task RemindScheduling()
    {
        if (SchedulingUnfinished) ArmBatchTimer();
        else await StopScheduling();
    }

    private async Task StopScheduling()
    {
        _batchTimer?.Dispose();
        _batchTimer = null;
        if (await this.GetReminder(SchedulingReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>
    /// Creates the next batch of runs (Pending), queues them (Queued) and hands their entries to the pool in one call, then saves
    /// the progress; each step is harmless to repeat.
    /// </summary>
    private async Task ScheduleBatch()
    {
        var spec = Spec();
        var submission = Current.Submission!;
        var baseShape = BaseShape(spec);
        var grid = GridExpansion.Expand(spec).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var recipes = Recipes(spec).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var batch = Current.RunIds.Skip(Current.RunsScheduled).Take(RunBatch).Select(id => recipes[id]).ToList();
        var last = Current.RunsScheduled + batch.Count == Current.RunIds.Length;
        var setups = batch.Select(recipe => (Recipe: recipe, Memory: MemoryOf(spec, recipe, grid, baseShape))).Select(pair => new RunSetup(
            TenantId,
            ExperimentId,
            pair.Recipe,
            submission.SpecText,
            submission.Priority,
            submission.DeviceKind,
            submission.DevicesPerRun,
            submission.PriorityClass,
            pair.Memory.PlacementBytes,
            pair.Memory));

        // An evaluation-only spec is one job on its one base (EvaluationGroup): every entry's run is queued, but only the lead's
        // goes to the pool, and only with the last batch: the worker that leases it evaluates the others in the same job, under
        // the same lease, so they must all exist by then.
        var lead = EvaluationGroup.LeadOf(spec);
        var results = await Task.WhenAll(setups.Select(async setup =>
        {
            var run = Run(setup.Recipe.Name);
            var created = await run.Create(setup);
            if (created.Status != ReplyStatus.Ok) throw new InvalidOperationException($"Run '{setup.Recipe.Name}': {created.Error}");
            return (await run.Enqueue(QueuedReason(setup.Recipe.Name, lead))).Entry;
        }));

        var entries = lead is null
            ? results.OfType<QueueEntry>().ToList()
            : last && (await Run(lead).Enqueue(QueuedReason(lead, lead))).Entry is { } leadEntry ? [leadEntry] : [];
        if (entries.Count > 0) await GrainFactory.GetGrain<IGpuPoolGrain>(GrainKeys.Pool).Enqueue([.. entries]);
        await Save(Current with { RunsScheduled = Current.RunsScheduled + batch.Count, Scheduled = last });
    }

    private string QueuedReason(string runId, string? lead) => lead is null || lead == runId
        ? $"submitted with experiment '{ExperimentId}'"
        : $"submitted with experiment '{ExperimentId}'; evaluated in run '{lead}''s job (one evaluation job per base)";
}
