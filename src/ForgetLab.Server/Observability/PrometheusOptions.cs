namespace ForgetLab.Server.Observability;

/// <summary>Where the dashboard reads its charts from (section <c>ForgetLab:Prometheus</c>); unset: no Prometheus, no charts.</summary>
public sealed class PrometheusOptions
{
    public const string Section = "ForgetLab:Prometheus";

    /// <summary>The Prometheus server's base address, e.g. <c>http://prometheus:9090/</c>.</summary>
    public Uri? Url { get; set; }

    /// <summary>How long one query may take.</summary>
    public double TimeoutSeconds { get; set; } = 10;
}
