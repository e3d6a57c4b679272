using Azure;
using Azure.Storage.Blobs;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Reports;
using Microsoft.Extensions.Caching.Memory;

namespace ForgetLab.Server.Reports;

/// <summary>
/// Reads what workers upload when a run ends: <c>{tenant}/{experiment}/{run}/run-report.json</c> in
/// the checkpoints container (the worker's layout, docs/architecture.md). A run that has not ended
/// has no report yet and is left out. A report is written once, when its run ends, so reports read
/// are kept in memory (bounded, sliding expiry): a page of a 500-run experiment refreshing every few
/// seconds does not read 500 blobs each time.
/// </summary>
public sealed class RunReportStore(BlobContainerClient container) : IDisposable
{
    public const string RunReportFile = CheckpointFolder.RunReportFile;

    private const int CachedReports = 20_000;
    private static readonly TimeSpan CacheSliding = TimeSpan.FromMinutes(30);

    private readonly MemoryCache _ended = new(new MemoryCacheOptions { SizeLimit = CachedReports });

    public async Task<RunReport?> Read(string tenant, string experiment, string run, CancellationToken cancel)
    {
        var name = $"{tenant}/{experiment}/{run}/{RunReportFile}";
        if (_ended.TryGetValue(name, out RunReport? cached)) return cached;
        try
        {
            var content = await container.GetBlobClient(name).DownloadContentAsync(cancel);
            var report = System.Text.Json.JsonSerializer.Deserialize<RunReport>(content.Value.Content.ToString(), ReportJson.Options);
            if (report is not null) _ended.Set(name, report, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = CacheSliding });
            return report;
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    public void Dispose() => _ended.Dispose();
}
