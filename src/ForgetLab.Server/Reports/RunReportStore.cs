using System.IO.Compression;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.Data;
using Microsoft.Extensions.Caching.Memory;

namespace ForgetLab.Server.Reports;

/// <summary>
/// Reads what workers upload when a run ends: <c>{tenant}/{experiment}/{run}/run-report.json</c> in
/// the checkpoints container (the worker's layout, docs/architecture.md). A run that has not ended
/// has no report yet and is left out. A report is written once, when its run ends, so reports read
/// are kept in memory (bounded, sliding expiry): a page of a 500-run experiment refreshing every few
/// seconds does not read 500 blobs each time.
/// </summary>
/// <remarks>
/// The experiment's ended runs' reports are also kept together in one blob,
/// <c>{tenant}/{experiment}/ended-run-reports.json.gz</c>, rewritten whenever a read of the experiment finds
/// an ended run's report it lacks (the metrics sampler reads every recent experiment's ended runs, so it is kept up to date as
/// runs end). The first view after a server start then reads that one object instead of one blob per run
/// (1.0–1.2 s for 500 runs before it, docs/dashboard.md). Only runs whose state has ended go in: a run
/// reported ended is terminal, so its report can no longer change. The summary is only a cache: a
/// missing, unreadable or lost-race summary costs reads, never a wrong report.
/// </remarks>
public sealed partial class RunReportStore(BlobContainerClient container, ILogger<RunReportStore> logger) : IDisposable
{
    public const string RunReportFile = CheckpointFolder.RunReportFile;

    /// <summary>The experiment-level summary's file name, beside the run folders.</summary>
    public const string EndedRunReportsFile = "ended-run-reports.json.gz";

    private const int CachedReports = 20_000;
    private const int ConcurrentReads = 16;
    private const int SummaryWriteAttempts = 3;
    private static readonly TimeSpan CacheSliding = TimeSpan.FromMinutes(30);

    private static readonly IReadOnlyDictionary<string, RunReport> None = new Dictionary<string, RunReport>();

    private readonly MemoryCache _ended = new(new MemoryCacheOptions { SizeLimit = CachedReports });

    /// <summary>The summary's ETag as this server last read or wrote it, per experiment (null: none existed).</summary>
    private readonly MemoryCache _summaries = new(new MemoryCacheOptions { SizeLimit = CachedReports });

    public async Task<RunReport?> Read(string tenant, string experiment, string run, CancellationToken cancel)
    {
        var name = RunBlob(tenant, experiment, run);
        if (_ended.TryGetValue(name, out RunReport? cached)) return cached;
        try
        {
            var content = await container.GetBlobClient(name).DownloadContentAsync(cancel);
            var report = JsonSerializer.Deserialize<RunReport>(content.Value.Content.ToString(), ReportJson.Options);
            if (report is not null) Remember(name, report);
            return report;
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// The reports of <paramref name="runs"/> (the experiment's, as just listed), in their order; a run whose report
    /// is not uploaded yet is left out. From memory, else, for ended runs, from the experiment's summary blob, else
    /// one blob per run; ended runs' reports the summary lacks are then written into it.
    /// </summary>
    public async Task<IReadOnlyList<RunReport>> ReadAll(string tenant, string experiment, IReadOnlyList<RunSummary> runs, CancellationToken cancel)
    {
        var found = new RunReport?[runs.Count];
        for (var i = 0; i < runs.Count; i++)
            if (_ended.TryGetValue(RunBlob(tenant, experiment, runs[i].RunId), out RunReport? cached)) found[i] = cached;

        var summaryKey = SummaryBlob(tenant, experiment);
        var summary = _summaries.TryGetValue(summaryKey, out SummaryState? state) ? state : null;
        bool Ended(int i) => RunStates.HasEnded(runs[i].State);
        var endedMissing = Enumerable.Range(0, runs.Count).Any(i => Ended(i) && found[i] is null);
        if (summary is null && endedMissing) summary = await ReadSummary(summaryKey, cancel);

        if (summary is not null)
            for (var i = 0; i < runs.Count; i++)
                if (found[i] is null && Ended(i) && summary.Reports.TryGetValue(runs[i].RunId, out var kept))
                    Remember(RunBlob(tenant, experiment, runs[i].RunId), found[i] = kept);

        var unread = Enumerable.Range(0, runs.Count).Where(i => found[i] is null).ToList();
        await Parallel.ForEachAsync(unread, new ParallelOptions { MaxDegreeOfParallelism = ConcurrentReads, CancellationToken = cancel },
            async (i, token) => found[i] = await Read(tenant, experiment, runs[i].RunId, token));

        if (summary is not null)
        {
            var ended = Enumerable.Range(0, runs.Count).Where(i => Ended(i) && found[i] is not null).ToDictionary(i => runs[i].RunId, i => found[i]!, StringComparer.Ordinal);
            await MergeIntoSummary(summaryKey, summary, ended, cancel);
        }

        return found.OfType<RunReport>().ToList();
    }

    public void Dispose()
    {
        _ended.Dispose();
        _summaries.Dispose();
    }

    private static string RunBlob(string tenant, string experiment, string run) => $"{tenant}/{experiment}/{run}/{RunReportFile}";

    private static string SummaryBlob(string tenant, string experiment) => $"{tenant}/{experiment}/{EndedRunReportsFile}";

    private void Remember(string name, RunReport report) =>
        _ended.Set(name, report, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = CacheSliding });

    private async Task<SummaryState> ReadSummary(string name, CancellationToken cancel)
    {
        try
        {
            var blob = await container.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: cancel);
            await using var gzip = new GZipStream(blob.Value.Content, CompressionMode.Decompress);
            var summary = await JsonSerializer.DeserializeAsync<EndedRunReports>(gzip, ReportJson.Options, cancel);
            return new SummaryState(blob.Value.Details.ETag, summary?.Runs ?? None);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return new SummaryState(null, None);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
        {
            // Unreadable (truncated, not gzip, not this shape): read the runs one by one, and the rewrite replaces it.
            LogSummaryUnreadable(name, e);
            var properties = await container.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancel);
            return new SummaryState(properties.Value.ETag, None);
        }
    }

    /// <summary>
    /// Writes <paramref name="ended"/> into the summary if it lacks any of them, only over the version read (or only
    /// if none exists), so another server's newer summary is never overwritten with less: on a lost race, read theirs
    /// and merge again.
    /// </summary>
    private async Task MergeIntoSummary(string name, SummaryState known, IReadOnlyDictionary<string, RunReport> ended, CancellationToken cancel)
    {
        for (var attempt = 0; attempt < SummaryWriteAttempts; attempt++)
        {
            if (ended.Keys.All(known.Reports.ContainsKey))
            {
                _summaries.Set(name, known, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = CacheSliding });
                return;
            }

            var reports = new Dictionary<string, RunReport>(known.Reports, StringComparer.Ordinal);
            foreach (var (run, report) in ended) reports.TryAdd(run, report);
            using var buffer = new MemoryStream();
            await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
                await JsonSerializer.SerializeAsync(gzip, new EndedRunReports(reports), ReportJson.Options, cancel);
            buffer.Position = 0;

            var conditions = known.ETag is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                var written = await container.GetBlobClient(name).UploadAsync(buffer, new BlobUploadOptions { Conditions = conditions }, cancel);
                _summaries.Set(name, new SummaryState(written.Value.ETag, reports), new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = CacheSliding });
                return;
            }
            catch (RequestFailedException e) when (e.Status is StatusCodes.Status409Conflict or StatusCodes.Status412PreconditionFailed)
            {
                known = await ReadSummary(name, cancel);
            }
        }

        // Still racing after that: leave it; the next read of the experiment merges again.
        _summaries.Remove(name);
    }

    [LoggerMessage(LogLevel.Warning, "The ended runs' summary {Blob} is unreadable; reading the runs' reports one by one and rewriting it")]
    private partial void LogSummaryUnreadable(string blob, Exception e);

    /// <summary>What the summary blob holds: each ended run's report by run id.</summary>
    private sealed record EndedRunReports(IReadOnlyDictionary<string, RunReport> Runs);

    private sealed record SummaryState(ETag? ETag, IReadOnlyDictionary<string, RunReport> Reports);
}
