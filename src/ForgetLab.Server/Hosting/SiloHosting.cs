using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ForgetLab.Grains.Hosting;
using Orleans.Configuration;
using Orleans.Storage;

namespace ForgetLab.Server.Hosting;

/// <summary>
/// The Orleans silo: Azure Table clustering and reminders, grain state in Azure Blob storage (with the Table rows earlier
/// versions wrote still read, see <see cref="BlobGrainStorageWithTableFallback"/>), all from the one connection string
/// <c>ConnectionStrings:Storage</c> (Azurite locally, an Azure Storage account in production).
/// </summary>
public static partial class SiloHosting
{
    public const string StorageConnectionName = "Storage";

    /// <summary>The blob provider under <see cref="GrainStorage.Name"/>'s storage.</summary>
    public const string BlobGrainStorage = GrainStorage.Name + "-blobs";

    /// <summary>The table provider earlier versions stored grain state with, still read (rows are keyed by service id and state name, not provider).</summary>
    public const string LegacyTableGrainStorage = GrainStorage.Name + "-table";

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
            // Blobs, because a table entity holds at most 1 MiB and grain state grows with what users submit.
            orleans.AddAzureBlobGrainStorage(BlobGrainStorage, o =>
            {
                o.BlobServiceClient = new BlobServiceClient(connectionString);
                o.ContainerName = GrainStateContainer(silo.ServiceId);
            });
            orleans.AddAzureTableGrainStorage(LegacyTableGrainStorage, o =>
            {
                o.TableServiceClient = new TableServiceClient(connectionString);
                o.DeleteStateOnClear = true;
            });
            orleans.Services.AddKeyedSingleton<IGrainStorage>(GrainStorage.Name, (services, _) => new BlobGrainStorageWithTableFallback(
                services.GetRequiredKeyedService<IGrainStorage>(BlobGrainStorage),
                services.GetRequiredKeyedService<IGrainStorage>(LegacyTableGrainStorage),
                services.GetRequiredService<ILogger<BlobGrainStorageWithTableFallback>>()));
            orleans.UseAzureTableReminderService(o => o.TableServiceClient = new TableServiceClient(connectionString));
            orleans.Services.AddForgetLabGrains();
        });
        return builder;
    }

    /// <summary>
    /// The blob container of one service's grain state. Blob names do not hold the service id (table rows did, in their
    /// partition key), so services sharing a storage account keep apart by container: the id made a valid container name
    /// (lowercase letters, digits, single hyphens), with a hash of the id itself so two ids that read alike never share one.
    /// </summary>
    public static string GrainStateContainer(string serviceId)
    {
        var readable = NotContainerCharacters().Replace(serviceId.ToLowerInvariant(), "-").Trim('-');
        if (readable.Length > 40) readable = readable[..40].TrimEnd('-');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(serviceId)))[..8];
        return readable.Length == 0 ? $"grains-{hash}" : $"grains-{readable}-{hash}";
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotContainerCharacters();
}
