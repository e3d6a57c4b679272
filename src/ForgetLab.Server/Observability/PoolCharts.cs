namespace ForgetLab.Server.Observability;

/// <summary>A chart of the web dashboard: its title, the PromQL of its series and the unit of its values.</summary>
public sealed record ChartQuery(string Title, string PromQl, string Unit);

/// <summary>
/// The charts of the dashboard's Pool page, drawn with <see cref="PrometheusQueryClient.QueryRange"/>.
/// Kept here, beside the metrics they read, so the integration test asks a real Prometheus for
/// each of them after a run (tests/ForgetLab.Server.Tests/MetricsTests.cs), as it does for Grafana's.
/// </summary>
public static class PoolCharts
{
    public static readonly IReadOnlyList<ChartQuery> All =
    [
        new("Queue depth by tenant", "max by (tenant) (forgetlab_queue_depth)", "runs"),
        new("Devices busy and free", "sum by (state) (max by (worker, state) (forgetlab_pool_devices))", "devices"),
        new("Runs by state", "sum by (state) (max by (tenant, state) (forgetlab_runs))", "runs"),
        new("Training tokens/s per worker", "sum by (instance) (rate(forgetlab_train_tokens_total[5m])) / sum by (instance) (rate(forgetlab_train_time_seconds_total[5m]))", "tokens/s"),
        new("Leases granted and expired (per 5 min)",
            "label_replace(sum(increase(forgetlab_pool_lease_grants_total[5m])), \"leases\", \"granted\", \"\", \"\")" +
            " or label_replace(sum(increase(forgetlab_pool_lease_expiries_total[5m])), \"leases\", \"expired\", \"\", \"\")", "leases"),
        new("Preemptions by outcome (per hour)", "sum by (outcome) (increase(forgetlab_pool_preemptions_total[1h]))", "preemptions"),
        new("Mean queue wait by class", "sum by (class) (forgetlab_pool_queue_wait_seconds_sum) / sum by (class) (forgetlab_pool_queue_wait_seconds_count)", "s"),
    ];
}
