using System.Net;
using Azure.Data.Tables;
using ForgetLab.Grains.Hosting;
using Orleans.Configuration;

namespace ForgetLab.Server.Hosting;

/// <summary>
/// The Orleans silo: Azure Table clustering, grain storage and reminders, all from the one
/// connection string <c>ConnectionStrings:Storage</c> (Azurite locally, an Azure Storage account in
/// production).
/// </summary>
public static class SiloHosting
{
    public const string StorageConnectionName = "Storage";

    public static WebApplicationBuilder AddForgetLabSilo(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(StorageConnectionName) ?? "UseDevelopmentStorage=true";
        var silo = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        builder.Services.Configure<ExperimentOptions>(builder.Configuration.GetSection("ForgetLab:Experiments"));
        builder.Services.Configure<GpuPoolOptions>(builder.Configuration.GetSection("ForgetLab:Pool"));

        builder.UseOrleans(orleans =>
        {
            orleans.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = silo.ClusterId;
                o.ServiceId = silo.ServiceId;
            });
            orleans.ConfigureEndpoints(IPAddress.Parse(silo.AdvertisedIPAddress), silo.SiloPort, silo.GatewayPort, silo.ListenOnAnyHostAddress);
            orleans.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(connectionString));
            orleans.AddAzureTableGrainStorage(GrainStorage.Name, o => o.TableServiceClient = new TableServiceClient(connectionString));
            orleans.UseAzureTableReminderService(o => o.TableServiceClient = new TableServiceClient(connectionString));
            orleans.Services.AddForgetLabGrains();
        });
        return builder;
    }
}
