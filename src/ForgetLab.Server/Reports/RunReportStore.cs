using Azure;
using Azure.Storage.Blobs;
using ForgetLab.Core.Reports;

namespace ForgetLab.Server.Reports;

/// <summary>
/// Reads what workers upload when a run ends: <c>{tenant}/{experiment}/{run}/run-report.json</c> in
/// the checkpoints container (the worker's layout, docs/architecture.md). A run that has not ended
/// has no report yet and is left out.
/// </summary>
public sealed class RunReportStore(BlobContainerClient container)
{
    public const string RunReportFile = "run-report.json";

    public async Task<RunReport?> Read(string tenant, string experiment, string run, CancellationToken cancel)
    {
        try
        {
            var blob = container.GetBlobClient($"{tenant}/{experiment}/{run}/{RunReportFile}");
            var content = await blob.DownloadContentAsync(cancel);
            return System.Text.Json.JsonSerializer.Deserialize<RunReport>(content.Value.Content.ToString(), ReportJson.Options);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }
}
