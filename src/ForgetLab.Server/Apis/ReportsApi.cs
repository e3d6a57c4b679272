using Azure.Storage.Blobs;
using ForgetLab.Contracts.Common;
using ForgetLab.Core.Reports;
using ForgetLab.Grains.Experiments;
using ForgetLab.Server.Application;
using ForgetLab.Server.Hosting;
using ForgetLab.Server.Reports;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ForgetLab.Server.Apis;

/// <summary>An experiment's forgetting report, in the <c>report.json</c> shape of the lab (or its Markdown).</summary>
public static class ReportsApi
{
    public static WebApplicationBuilder AddForgetLabReports(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(SiloHosting.StorageConnectionName) ?? "UseDevelopmentStorage=true";
        var container = builder.Configuration["ForgetLab:Checkpoints:Container"] ?? "checkpoints";
        var blobs = new BlobServiceClient(connectionString).GetBlobContainerClient(container);
        builder.Services.AddSingleton(sp => new RunReportStore(blobs, sp.GetRequiredService<ILogger<RunReportStore>>()));
        var checkpoints = new CheckpointStore(blobs);
        builder.Services.AddSingleton(checkpoints);
        // The experiment grain's search compares runs on their checkpoints' items, read from the same container.
        builder.Services.AddSingleton<ICheckpointItemReader>(checkpoints);
        builder.Services.AddSingleton<ItemChangeReader>();
        return builder;
    }

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup($"{ApiConventions.Prefix}/experiments/{{experimentId}}/report").WithTags("Reports").RequireAuthorization(CallerClaims.TenantPolicy)
            .MapGet("/", GetReport).RequireRateLimiting(RequestLimits.ExpensivePolicy)
            .WithDescription("The report of the experiment's ended runs; `?format=markdown` for the Markdown tables.");
        return app;
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetReport(
        string experimentId, string? format, [AsParameters] ApiServices services, Experiments experiments, ExperimentReports reports, CancellationToken cancel)
    {
        var experiment = await experiments.Get(services.Caller, experimentId);
        if (experiment.Status != ReplyStatus.Ok) return experiment.Failure();
        var report = await reports.Assemble(experiment.Value!, cancel);
        return format?.ToLowerInvariant() switch
        {
            null or "json" => TypedResults.Content(ReportJson.Serialize(report), "application/json"),
            "markdown" or "md" => TypedResults.Content(ReportMarkdown.Render(report), "text/markdown"),
            _ => ReplyResults.Invalid("format", $"unknown format '{format}' (expected json or markdown)"),
        };
    }
}
