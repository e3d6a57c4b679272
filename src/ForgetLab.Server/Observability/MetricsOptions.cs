namespace ForgetLab.Server.Observability;

/// <summary>Settings of the server's metrics (section <c>ForgetLab:Metrics</c>).</summary>
public sealed class MetricsOptions
{
    public const string Section = "ForgetLab:Metrics";

    /// <summary>The <c>service.name</c> of this process's metrics (Prometheus: <c>target_info{service_name=…}</c>).</summary>
    public string ServiceName { get; set; } = "forgetlab-server";

    /// <summary>How often the pool, the runs and the reports are sampled for the gauges.</summary>
    public double SampleSeconds { get; set; } = 15;

    /// <summary>
    /// How many of each tenant's most recent experiments the gauges look at (runs by state, worst delta
    /// per category). Bounds both the work of a sample and the number of series per tenant.
    /// </summary>
    public int RecentExperiments { get; set; } = 10;
}
