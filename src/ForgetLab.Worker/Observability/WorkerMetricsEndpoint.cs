using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace ForgetLab.Worker.Observability;

/// <summary>
/// The worker's <c>/metrics</c>: a small Kestrel endpoint of its own beside the generic host (the worker
/// serves nothing else over HTTP), with the <c>ForgetLab.Worker</c> and <c>Microsoft.Orleans</c> meters
/// under the service name <c>forgetlab-worker</c>. <c>--metrics-port N</c> listens on N, 0 on a free
/// port (printed as <c>WORKER_METRICS http://…/metrics</c>); without it there is no endpoint.
/// </summary>
public sealed class WorkerMetricsEndpoint(int port, string bindAddress, string serviceName, string instanceId, ILogger<WorkerMetricsEndpoint> logger) : IHostedService
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancel)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Parse(bindAddress), port));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: instanceId))
            .WithMetrics(m => m.AddMeter(WorkerMetrics.MeterName, "Microsoft.Orleans").AddPrometheusExporter());
        _app = builder.Build();
        _app.MapPrometheusScrapingEndpoint("/metrics");
        await _app.StartAsync(cancel);

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? $"http://{bindAddress}:{port}";
        logger.LogInformation("Metrics at {Address}/metrics", address);
        Console.WriteLine($"WORKER_METRICS {address}/metrics");
    }

    public async Task StopAsync(CancellationToken cancel)
    {
        if (_app is null) return;
        await _app.StopAsync(cancel);
        await _app.DisposeAsync();
    }
}

/// <summary>Registers <see cref="WorkerMetricsEndpoint"/> from <c>ForgetLab:Worker:MetricsPort</c> (and <c>MetricsBind</c>, default all addresses).</summary>
public static class WorkerObservability
{
    public static IHostApplicationBuilder AddWorkerMetrics(this IHostApplicationBuilder builder)
    {
        var port = builder.Configuration["ForgetLab:Worker:MetricsPort"];
        if (string.IsNullOrWhiteSpace(port)) return builder;
        if (!int.TryParse(port, out var number) || number is < 0 or > 65535)
            throw new ArgumentException($"--metrics-port '{port}': a port number from 0 (a free port) to 65535 is needed");
        var bind = builder.Configuration["ForgetLab:Worker:MetricsBind"] is { Length: > 0 } b ? b : "0.0.0.0";
        if (!IPAddress.TryParse(bind, out _)) throw new ArgumentException($"ForgetLab:Worker:MetricsBind '{bind}': an IP address is needed (e.g. 127.0.0.1)");
        var service = builder.Configuration["ForgetLab:Metrics:ServiceName"] is { Length: > 0 } s ? s : "forgetlab-worker";
        var instance = builder.Configuration["ForgetLab:Worker:Id"] is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Environment.ProcessId}";
        builder.Services.AddSingleton<IHostedService>(sp => new WorkerMetricsEndpoint(number, bind, service, instance, sp.GetRequiredService<ILogger<WorkerMetricsEndpoint>>()));
        return builder;
    }
}
