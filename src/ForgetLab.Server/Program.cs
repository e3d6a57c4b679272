using ForgetLab.Server.Apis;
using ForgetLab.Server.Application;
using ForgetLab.Server.Dashboard;
using ForgetLab.Server.Hosting;
using ForgetLab.Server.Observability;
using ForgetLab.Server.Security;

namespace ForgetLab.Server;

/// <summary>
/// ForgetLab's server: an Orleans silo on Azure Storage hosting the grains, and the REST API in
/// front of them. <see cref="Build"/> is the whole composition; tests call it to start real servers.
/// </summary>
public static class Program
{
    public static Task Main(string[] args) => Build(args).RunAsync();

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddForgetLabSilo();
        builder.AddApiKeyAuthentication();
        builder.AddForgetLabApi();
        builder.AddForgetLabRequestLimits();
        builder.AddForgetLabReports();
        builder.AddForgetLabApplication();
        builder.AddForgetLabMetrics();
        builder.AddForgetLabModels();
        builder.AddForgetLabDatasets();
        builder.AddForgetLabDashboard();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseForgetLabRequestLimits();
        app.MapOpenApi();
        app.MapTenantsApi();
        app.MapExperimentsApi();
        app.MapRunsApi();
        app.MapReportsApi();
        app.MapBaselinesApi();
        app.MapModelsApi();
        app.MapDatasetsApi();
        app.MapCheckpointsApi();
        app.MapCompareApi();
        app.MapBoardApi();
        app.MapForgetLabMetrics();
        app.MapForgetLabDashboard();
        return app;
    }
}
