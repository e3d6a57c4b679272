using ForgetLab.Grains.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace ForgetLab.Server.Observability;

/// <summary>
/// The server's telemetry in one place: OpenTelemetry metrics from the <c>ForgetLab.*</c> meters, Orleans'
/// (<c>Microsoft.Orleans</c>) and ASP.NET Core's (requests by route and status), exported for Prometheus
/// at <c>/metrics</c> under the configured service name; the sampler that feeds the gauges; and the
/// Prometheus query client the dashboard draws its charts with.
/// </summary>
public static class ObservabilityHosting
{
    public static WebApplicationBuilder AddForgetLabMetrics(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(MetricsOptions.Section);
        builder.Services.Configure<MetricsOptions>(section);
        var serviceName = section.Get<MetricsOptions>()?.ServiceName ?? new MetricsOptions().ServiceName;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: Environment.MachineName + "-" + Environment.ProcessId))
            .WithMetrics(m => m
                .AddMeter(PlatformMetrics.MeterName, GrainMetrics.MeterName, "Microsoft.Orleans")
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter());
        builder.Services.AddHostedService<PlatformSampler>();

        builder.Services.Configure<PrometheusOptions>(builder.Configuration.GetSection(PrometheusOptions.Section));
        builder.Services.AddHttpClient<PrometheusQueryClient>();
        return builder;
    }

    public static WebApplication MapForgetLabMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
