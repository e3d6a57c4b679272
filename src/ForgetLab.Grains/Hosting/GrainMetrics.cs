using System.Diagnostics.Metrics;
using ForgetLab.Contracts.Runs;
using ForgetLab.Grains.Common;

namespace ForgetLab.Grains.Hosting;

/// <summary>
/// What the grains count as it happens (meter <c>ForgetLab.Grains</c>): lease grants and expiries,
/// run transitions and durations, and failed writes of grain state. The host exports it with the
/// other <c>ForgetLab.*</c> meters. Labels are tenants, workers and states only — bounded sets;
/// never a run, an item or a step. Counters are started at zero for the label sets a tenant or a
/// worker will use, so an alert on their increase has a series before the first event.
/// </summary>
public static class GrainMetrics
{
    public const string MeterName = "ForgetLab.Grains";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> LeaseGrants = Meter.CreateCounter<long>(
        "forgetlab.pool.lease.grants", "{lease}", "Leases the pool granted to workers, by tenant.");

    private static readonly Counter<long> LeaseExpiries = Meter.CreateCounter<long>(
        "forgetlab.pool.lease.expiries", "{lease}", "Leases that expired without heartbeats (their runs went back to the queue), by worker.");

    private static readonly Counter<long> Preemptions = Meter.CreateCounter<long>(
        "forgetlab.pool.preemptions", "{preemption}",
        "Preemptions ended, by the victim's tenant, reason (higher_class, reclaim_guarantee) and outcome (checkpointed, grace_timeout, lease_ended).");

    private static readonly Counter<long> Protections = Meter.CreateCounter<long>(
        "forgetlab.pool.preemption.protections", "{run}",
        "Runs that reached the preemption limit within the window and are protected from more (a preemption loop stopped), by tenant.");

    private static readonly Histogram<double> QueueWait = Meter.CreateHistogram(
        "forgetlab.pool.queue.wait", "s", "From a run's entry on the queue (first or again, after a preemption or a lost lease) to its lease, by priority class.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 21600, 86400] });

    private static readonly Counter<long> RunTransitions = Meter.CreateCounter<long>(
        "forgetlab.run.transitions", "{transition}", "Run state transitions, by tenant and the state entered.");

    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram(
        "forgetlab.run.duration", "s", "From a run's first start on a worker to its end, by tenant and final state.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [5, 15, 30, 60, 120, 300, 600, 1200, 3600, 7200, 14400, 43200] });

    private static readonly Counter<long> StorageErrors = Meter.CreateCounter<long>(
        "forgetlab.storage.errors", "{error}", "Failed storage operations, by component (grains, server, worker) and operation. The one instrument of that name in the server process: the server's own reads count here too.");

    /// <summary>Zero series for a worker the pool has just heard of.</summary>
    public static void WorkerKnown(string workerId) => LeaseExpiries.Add(0, new KeyValuePair<string, object?>("worker", workerId));

    /// <summary>Zero series for a tenant's grants and run transitions.</summary>
    public static void TenantKnown(string tenantId)
    {
        LeaseGrants.Add(0, new KeyValuePair<string, object?>("tenant", tenantId));
        foreach (var state in Enum.GetValues<RunState>()) RunTransitions.Add(0, Tenant(tenantId), State(state));
        foreach (var reason in new[] { PreemptionOutcomes.HigherClass, PreemptionOutcomes.ReclaimGuarantee })
            foreach (var outcome in new[] { PreemptionOutcomes.Checkpointed, PreemptionOutcomes.GraceTimeout, PreemptionOutcomes.LeaseEnded })
                Preemptions.Add(0, Tenant(tenantId), new("reason", reason), new("outcome", outcome));
        Protections.Add(0, Tenant(tenantId));
    }

    /// <summary>A preemption ended; reason and outcome are the fixed names of <see cref="PreemptionOutcomes"/>.</summary>
    public static void Preemption(string tenantId, string reason, string outcome) =>
        Preemptions.Add(1, Tenant(tenantId), new("reason", reason), new("outcome", outcome));

    public static void RunProtected(string tenantId) => Protections.Add(1, Tenant(tenantId));

    /// <summary>A run waited this long on the queue before its lease; the class label is one of the three class names.</summary>
    public static void QueueWaited(string priorityClass, TimeSpan waited) =>
        QueueWait.Record(Math.Max(0, waited.TotalSeconds), new KeyValuePair<string, object?>("class", priorityClass));

    public static void LeaseGranted(string tenantId) => LeaseGrants.Add(1, new KeyValuePair<string, object?>("tenant", tenantId));

    public static void LeaseExpired(string workerId) => LeaseExpiries.Add(1, new KeyValuePair<string, object?>("worker", workerId));

    public static void RunMoved(string tenantId, RunState to) => RunTransitions.Add(1, Tenant(tenantId), State(to));

    public static void RunEnded(string tenantId, RunState state, TimeSpan duration) =>
        RunDuration.Record(duration.TotalSeconds, Tenant(tenantId), State(state));

    public static void StorageWriteFailed(string owner) => StorageError("grains", $"write_{owner}_state");

    public static void StorageError(string component, string operation, long count = 1) =>
        StorageErrors.Add(count, new KeyValuePair<string, object?>("component", component), new KeyValuePair<string, object?>("operation", operation));

    /// <summary>Zero series for the grains' storage errors.</summary>
    public static void StorageKnown()
    {
        foreach (var owner in StateWrites.Owners) StorageError("grains", $"write_{owner}_state", 0);
    }

    private static KeyValuePair<string, object?> Tenant(string tenantId) => new("tenant", tenantId);

    private static KeyValuePair<string, object?> State(RunState state) => new("state", state.ToString());
}
