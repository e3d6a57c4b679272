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
    }

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
