using System.Diagnostics.Metrics;
using ForgetLab.Grains.Hosting;

namespace ForgetLab.Server.Observability;

/// <summary>
/// The server's own instruments (meter <c>ForgetLab.Platform</c>): gauges over the latest
/// <see cref="PlatformSnapshot"/> — queue depth, devices held, quota and device-hours per tenant,
/// busy and free devices per worker, runs by state per tenant, the worst delta per suite category and the reward
/// fine-tuning's reward and KL of each tenant's recent experiments — and the age of the snapshot (the sampler's failures count in <see cref="GrainMetrics"/>' storage errors). The callbacks
/// only read the snapshot: grains are called by <see cref="PlatformSampler"/>, never from a callback.
/// Labels: tenant, worker, state, category, prompts (train/held_out), text (target_prompts/general_text) and, for the
/// experiment gauges, the experiment — bounded by
/// <see cref="MetricsOptions.RecentExperiments"/> per tenant.
/// </summary>
public static class PlatformMetrics
{
    public const string MeterName = "ForgetLab.Platform";

    private static readonly Meter Meter = new(MeterName);

    // One snapshot per sampler: a process normally hosts one server, but tests host several silos in
    // one process and each must publish its own cluster's state rather than overwrite another's.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<object, PlatformSnapshot> Snapshots = new();

    static PlatformMetrics()
    {
        Meter.CreateObservableGauge("forgetlab.queue.depth", () => Snapshot.Tenants.Select(t => Measure(t.RunsQueued, ("tenant", t.TenantId))),
            "{run}", "Runs waiting in the pool's queue, by tenant.");
        Meter.CreateObservableGauge("forgetlab.tenant.devices.held", () => Snapshot.Tenants.Select(t => Measure(t.DevicesHeld, ("tenant", t.TenantId))),
            "{device}", "Devices a tenant's runs hold under leases now.");
        Meter.CreateObservableGauge("forgetlab.tenant.devices.quota", () => Snapshot.Tenants.Select(t => Measure(t.MaxConcurrentDevices, ("tenant", t.TenantId))),
            "{device}", "A tenant's quota of concurrent devices.");
        Meter.CreateObservableCounter("forgetlab.tenant.device_hours", () => Snapshot.Tenants.Select(t => new Measurement<double>(t.DeviceHoursUsed, Tag("tenant", t.TenantId))),
            "{device_hour}", "Device-hours a tenant's leases have used.");
        Meter.CreateObservableGauge("forgetlab.tenant.device_hours.budget", () => Snapshot.Tenants.Select(t =>
                new Measurement<double>(t.DeviceHoursBudget ?? double.PositiveInfinity, Tag("tenant", t.TenantId))),
            "{device_hour}", "A tenant's device-hours budget; +Inf when it has none.");
        Meter.CreateObservableGauge("forgetlab.pool.devices", () => Snapshot.Workers.SelectMany(w => new[]
            {
                Measure(w.Busy, ("worker", w.WorkerId), ("state", "busy")),
                Measure(w.Free, ("worker", w.WorkerId), ("state", "free")),
            }),
            "{device}", "Devices of each registered worker, busy (leased) or free, as the pool sees them.");
        Meter.CreateObservableGauge("forgetlab.runs", () => Snapshot.Runs.Select(r => Measure(r.Runs, ("tenant", r.TenantId), ("state", r.State))),
            "{run}", "Runs of each tenant's recent experiments, by state.");
        Meter.CreateObservableGauge("forgetlab.experiment.worst_delta", () => Snapshot.WorstDeltas.Select(d =>
                new Measurement<double>(d.DeltaPoints, Tag("tenant", d.TenantId), Tag("experiment", d.ExperimentId), Tag("category", d.Category))),
            "{point}", "Worst change against the base (percentage points, accuracy-type suites) per suite category over an experiment's ended runs; each tenant's recent experiments only.");
        Meter.CreateObservableGauge("forgetlab.experiment.rl.reward", () => Snapshot.Rl.SelectMany(r => new[] { ("train", r.TrainReward), ("held_out", r.HeldOutReward) }
                .Where(p => p.Item2 is not null)
                .Select(p => new Measurement<double>(p.Item2!.Value, Tag("tenant", r.TenantId), Tag("experiment", r.ExperimentId), Tag("prompts", p.Item1)))),
            "{reward}", "Highest mean reward at the last checkpoint over an experiment's ended reward fine-tuning runs, on train or held-out prompts; each tenant's recent experiments only.");
        Meter.CreateObservableGauge("forgetlab.experiment.rl.kl", () => Snapshot.Rl.SelectMany(r => new[]
            {
                new Measurement<double>(r.KlTargetPrompts, Tag("tenant", r.TenantId), Tag("experiment", r.ExperimentId), Tag("text", "target_prompts")),
                new Measurement<double>(r.KlGeneralText, Tag("tenant", r.TenantId), Tag("experiment", r.ExperimentId), Tag("text", "general_text")),
            }),
            "{nat}", "Largest KL(policy || base) per token at the last checkpoint over an experiment's ended reward fine-tuning runs, on the target prompts or general text; each tenant's recent experiments only.");
        Meter.CreateObservableGauge("forgetlab.platform.sample.age", () => Snapshot.TakenAt == DateTimeOffset.MinValue
                ? []
                : new[] { new Measurement<double>((DateTimeOffset.UtcNow - Snapshot.TakenAt).TotalSeconds) },
            "s", "Seconds since the gauges above were last sampled.");
    }

    /// <summary>What the gauges report: the snapshots of every sampler in the process, together.</summary>
    public static PlatformSnapshot Snapshot
    {
        get
        {
            var all = Snapshots.Values.ToList();
            return all.Count switch
            {
                0 => PlatformSnapshot.Empty,
                1 => all[0],
                _ => new PlatformSnapshot(all.Min(s => s.TakenAt), [.. all.SelectMany(s => s.Tenants)], [.. all.SelectMany(s => s.Workers)],
                    [.. all.SelectMany(s => s.Runs)], [.. all.SelectMany(s => s.WorstDeltas)]) { Rl = [.. all.SelectMany(s => s.Rl)] },
            };
        }
    }

    public static void Publish(object sampler, PlatformSnapshot snapshot) => Snapshots[sampler] = snapshot;

    public static void Withdraw(object sampler) => Snapshots.TryRemove(sampler, out _);

    /// <summary>Zero series for the storage errors of this process (<c>forgetlab_storage_errors_total</c>, counted by <see cref="GrainMetrics"/>).</summary>
    public static void StorageKnown()
    {
        GrainMetrics.StorageKnown();
        foreach (var operation in new[] { "sample_grains", "read_run_report" }) GrainMetrics.StorageError("server", operation, 0);
    }

    /// <summary>A sample could not read the grains or a run report.</summary>
    public static void SampleFailed(string operation) => GrainMetrics.StorageError("server", operation);

    private static Measurement<int> Measure(int value, params (string Key, string Value)[] tags) =>
        new(value, tags.Select(t => Tag(t.Key, t.Value)));

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
