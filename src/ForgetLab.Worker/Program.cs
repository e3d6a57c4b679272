using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ForgetLab.Worker;
using ForgetLab.Worker.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

// ForgetLab's worker: `ForgetLab.Worker --devices cpu:2` (or cuda:0,cuda:1) joins the cluster named by
// ForgetLab:Silo:ClusterId/ServiceId through Azure Table clustering on ConnectionStrings:Storage, and
// runs what the pool leases it. Switches: --devices --id --work-dir --cli --world-data --spec-dir --threads --storage --metrics-port --memory-gb --max-leases.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--devices"] = "ForgetLab:Worker:Devices",
    ["--id"] = "ForgetLab:Worker:Id",
    ["--work-dir"] = "ForgetLab:Worker:WorkDirectory",
    ["--cli"] = "ForgetLab:Worker:CliPath",
    ["--world-data"] = "ForgetLab:Worker:WorldDataDirectory",
    ["--spec-dir"] = "ForgetLab:Worker:SpecBaseDirectory",
    ["--threads"] = "ForgetLab:Worker:ThreadsPerJob",
    ["--storage"] = "ConnectionStrings:Storage",
    ["--cluster-id"] = "ForgetLab:Silo:ClusterId",
    ["--service-id"] = "ForgetLab:Silo:ServiceId",
    ["--metrics-port"] = "ForgetLab:Worker:MetricsPort",
    ["--memory-gb"] = "ForgetLab:Worker:DeviceMemoryGb",
    ["--max-leases"] = "ForgetLab:Worker:MaxLeases",
});
var storage = builder.Configuration.GetConnectionString("Storage") ?? "UseDevelopmentStorage=true";
var clusterId = builder.Configuration["ForgetLab:Silo:ClusterId"] ?? "forgetlab";
var serviceId = builder.Configuration["ForgetLab:Silo:ServiceId"] ?? clusterId;

builder.Services.Configure<WorkerOptions>(builder.Configuration.GetSection(WorkerOptions.Section));
builder.Services.AddSingleton(sp =>
    new BlobServiceClient(storage).GetBlobContainerClient(sp.GetRequiredService<IOptions<WorkerOptions>>().Value.Container));
builder.Services.AddSingleton<CheckpointStore>();
// First of the hosted services, so its meter listener is there before the worker counts anything.
builder.AddWorkerMetrics();
builder.UseOrleansClient(client =>
{
    client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId));
    client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(storage));
    client.UseConnectionRetryFilter((_, cancel) => Task.Delay(TimeSpan.FromSeconds(2), cancel).ContinueWith(t => !t.IsCanceled, TaskScheduler.Default));
    // A server that restarts comes back on new gateway endpoints (in the membership table); find them soon.
    var refresh = builder.Configuration.GetValue<double?>($"{WorkerOptions.Section}:{nameof(WorkerOptions.GatewayRefreshSeconds)}") ?? new WorkerOptions().GatewayRefreshSeconds;
    client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(refresh));
});
builder.Services.AddSingleton(TimeProvider.System);
// After the Orleans client, so the client has connected (and knows the grain types) before the worker starts.
builder.Services.AddHostedService<WorkerService>();
builder.Logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss "));

await builder.Build().RunAsync();
