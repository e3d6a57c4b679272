namespace ForgetLab.Server.Application;

/// <summary>Registers the application layer that the REST API (<c>Apis/</c>) and the dashboard both call.</summary>
public static class ApplicationHosting
{
    public static WebApplicationBuilder AddForgetLabApplication(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Experiments>();
        builder.Services.AddSingleton<ExperimentReports>();
        builder.Services.AddSingleton<SharedBoard>();
        builder.Services.AddSingleton<RunComparisons>();
        return builder;
    }
}
