using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Grains.Common;
using ForgetLab.Server.Reports;
using Microsoft.Extensions.Options;

namespace ForgetLab.Server.Observability;

/// <summary>
/// Reads the pool, each tenant's recent experiments and their ended runs' reports every
/// <see cref="MetricsOptions.SampleSeconds"/> and publishes them as a <see cref="PlatformSnapshot"/>
/// for the gauges, so a scrape never waits on a grain. Run reports of ended runs do not change and
/// are cached by <see cref="RunReportStore"/>, whose experiment summary these reads keep up to date. With several server replicas each samples the same grains: dashboards aggregate
/// these gauges with <c>max</c>, not <c>sum</c>.
/// </summary>
public sealed partial class PlatformSampler(
    IGrainFactory grains, RunReportStore reports, IOptions<MetricsOptions> options, ILogger<PlatformSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        PlatformMetrics.StorageKnown();
        var period = TimeSpan.FromSeconds(Math.Max(0.2, options.Value.SampleSeconds));
        while (!stop.IsCancellationRequested)
        {
            try
            {
                PlatformMetrics.Publish(this, await Sample(stop));
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                PlatformMetrics.SampleFailed("sample_grains");
                LogSampleFailed(e);
            }

            try
            {
                await Task.Delay(period, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        PlatformMetrics.Withdraw(this);
    }

    public async Task<PlatformSnapshot> Sample(CancellationToken cancel)
    {
        var pool = await grains.GetGrain<IGpuPoolGrain>(GrainKeys.Pool).GetSnapshot();
        var tenants = pool.Tenants.Select(t => new TenantSample(t.TenantId, t.RunsQueued, t.DevicesHeld, t.MaxConcurrentDevices, t.DeviceHoursUsed, t.DeviceHoursBudget)).ToList();
        var workers = pool.Workers.Select(w =>
        {
            var busy = pool.Leases.Where(l => l.WorkerId == w.WorkerId).SelectMany(l => l.DeviceIds).ToHashSet(StringComparer.Ordinal);
            var held = w.Devices.Count(d => busy.Contains(d.DeviceId));
            return new WorkerSample(w.WorkerId, held, w.Devices.Length - held);
        }).ToList();

        var runs = new List<RunStateCount>();
        var deltas = new List<WorstDelta>();
        var rl = new List<RlSample>();
        foreach (var tenant in pool.Tenants.Select(t => t.TenantId).Where(GrainKeys.IsTenantId))
        {
            // The platform reads on the tenant's behalf: a viewer of that tenant sees what the gauges need.
            var caller = new Caller(tenant, TenantRole.Viewer, "metrics");
            var listed = await grains.GetGrain<IExperimentDirectoryGrain>(GrainKeys.Tenant(tenant)).List(caller);
            if (listed.Status != ReplyStatus.Ok || listed.Value.IsDefaultOrEmpty) continue;

            var counts = Enum.GetValues<RunState>().ToDictionary(s => s, _ => 0);
            foreach (var experimentId in listed.Value.TakeLast(Math.Max(1, options.Value.RecentExperiments)))
            {
                var experiment = grains.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, experimentId));
                var summaries = await experiment.ListRuns(caller);
                if (summaries.Status != ReplyStatus.Ok || summaries.Value.IsDefault) continue;

                foreach (var run in summaries.Value) counts[run.State]++;
                var finished = summaries.Value.Where(r => r.State is RunState.Completed or RunState.StoppedEarly).ToList();
                var ended = await EndedReports(tenant, experimentId, finished, cancel);
                deltas.AddRange(WorstPerCategory(tenant, experimentId, ended));
                if (RewardAndKl(tenant, experimentId, ended) is { } sample) rl.Add(sample);
            }
            runs.AddRange(counts.Select(c => new RunStateCount(tenant, c.Key.ToString(), c.Value)));
        }

        return new PlatformSnapshot(DateTimeOffset.UtcNow, tenants, workers, runs, deltas) { Rl = rl };
    }

    /// <summary>
    /// Reward fine-tuning over the ended runs' last measured checkpoints: the highest reward (train, held-out) and the
    /// largest KL to the base (target prompts, general text); null when no run of the experiment is reward fine-tuned.
    /// </summary>
    public static RlSample? RewardAndKl(string tenant, string experimentId, IReadOnlyList<RunReport> ended)
    {
        var last = ended.Select(r => r.Checkpoints.LastOrDefault(c => c.Rl is not null)?.Rl).OfType<RlMeasurement>().ToList();
        if (last.Count == 0) return null;
        static double? Max(IEnumerable<double> values) => values.Where(double.IsFinite).Select(v => (double?)v).Max();
        return new RlSample(tenant, experimentId,
            Max(last.Where(m => m.TrainReward is not null).Select(m => m.TrainReward!.Mean)),
            Max(last.Where(m => m.HeldOutReward is not null).Select(m => m.HeldOutReward!.Mean)),
            Max(last.Select(m => m.KlTargetPrompts)) ?? double.NaN, Max(last.Select(m => m.KlGeneralText)) ?? double.NaN);
    }

    /// <summary>
    /// The worst Δ per category over the runs' final results, accuracy-type (binary) suites only: a
    /// perplexity or KL change is in other units and gets worse upwards, so it has no place in a
    /// "worst points" figure.
    /// </summary>
    public static IEnumerable<WorstDelta> WorstPerCategory(string tenant, string experimentId, IReadOnlyList<RunReport> ended) =>
        ended.SelectMany(r => r.Suites)
            .Where(s => s.Kind == OutcomeKind.Binary)
            .GroupBy(s => s.Category)
            .OrderBy(g => g.Key)
            .Select(g => new WorstDelta(tenant, experimentId, System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(g.Key.ToString()), g.Min(s => s.DeltaPoints)));

    /// <summary>
    /// The finished runs' reports, through the store's cache and the experiment's summary, which this read keeps up
    /// to date as runs end (a report not uploaded yet is left out and asked for again next sample).
    /// </summary>
    private async Task<IReadOnlyList<RunReport>> EndedReports(string tenant, string experiment, IReadOnlyList<RunSummary> runs, CancellationToken cancel)
    {
        try
        {
            return await reports.ReadAll(tenant, experiment, runs, cancel);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            PlatformMetrics.SampleFailed("read_run_report");
            LogReportFailed($"{tenant}/{experiment}", e);
            return [];
        }
    }

    [LoggerMessage(LogLevel.Warning, "Metrics: could not sample the platform's state")]
    private partial void LogSampleFailed(Exception e);

    [LoggerMessage(LogLevel.Warning, "Metrics: could not read the run reports of experiment {Experiment}")]
    private partial void LogReportFailed(string experiment, Exception e);
}
