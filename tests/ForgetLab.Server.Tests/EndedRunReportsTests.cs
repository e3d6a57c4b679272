using System.Text.Json;
using Azure.Storage.Blobs;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Server.Reports;
using Microsoft.Extensions.Logging.Abstractions;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The experiment-level summary of ended runs' reports, on Azurite: a server that starts with nothing in
/// memory reads one object for an experiment's ended runs, and the summary never decides what a report says.
/// </summary>
public sealed class EndedRunReportsTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private BlobContainerClient Container()
    {
        var container = new BlobServiceClient(platform.Azurite.ConnectionString).GetBlobContainerClient("checkpoints");
        container.CreateIfNotExists(cancellationToken: Cancel);
        return container;
    }

    private static RunReport Report(string name, double forgetting) =>
        new(name, "full", RunStatus.Completed, new Dictionary<string, string> { ["lr"] = "1e-4" }, Severity.None, 10, forgetting, false, [], []);

    private async Task Upload(BlobContainerClient container, string experiment, RunReport report) =>
        await container.GetBlobClient($"summary-t/{experiment}/{report.Name}/{RunReportStore.RunReportFile}")
            .UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(report, ReportJson.Options)), overwrite: true, Cancel);

    private static RunReportStore NewServer(BlobContainerClient container) => new(container, NullLogger<RunReportStore>.Instance);

    private static RunSummary Run(string id, RunState state) => new(id, state, 10, 1);

    [Fact]
    public async Task AServerStartingEmptyReadsTheEndedRunsFromTheSummaryAndTheRestFromTheirBlobs()
    {
        var container = Container();
        var experiment = $"e{Guid.NewGuid():N}"[..12];
        foreach (var (name, forgetting) in new[] { ("a", 1.0), ("b", 2.0), ("c", 3.0) }) await Upload(container, experiment, Report(name, forgetting));
        RunSummary[] runs = [Run("a", RunState.Completed), Run("b", RunState.Failed), Run("c", RunState.Running), Run("d", RunState.Queued)];

        using (var first = NewServer(container))
            Assert.Equal(["a", "b", "c"], (await first.ReadAll("summary-t", experiment, runs, Cancel)).Select(r => r.Name));
        var summary = container.GetBlobClient($"summary-t/{experiment}/{RunReportStore.EndedRunReportsFile}");
        Assert.True(await summary.ExistsAsync(Cancel));

        // The ended runs' own blobs gone: a fresh server still has their reports, from the summary alone. The running run's
        // report was never put in it (it could still be replaced), so it is read from its blob.
        await container.GetBlobClient($"summary-t/{experiment}/a/{RunReportStore.RunReportFile}").DeleteAsync(cancellationToken: Cancel);
        await container.GetBlobClient($"summary-t/{experiment}/b/{RunReportStore.RunReportFile}").DeleteAsync(cancellationToken: Cancel);
        await Upload(container, experiment, Report("c", 30.0));
        using var second = NewServer(container);
        var read = await second.ReadAll("summary-t", experiment, runs, Cancel);
        Assert.Equal(["a", "b", "c"], read.Select(r => r.Name));
        Assert.Equal([1.0, 2.0, 30.0], read.Select(r => r.ForgettingPoints));
    }

    [Fact]
    public async Task ARunThatEndsLaterIsAddedToTheSummary()
    {
        var container = Container();
        var experiment = $"e{Guid.NewGuid():N}"[..12];
        await Upload(container, experiment, Report("a", 1.0));
        await Upload(container, experiment, Report("b", 2.0));
        using (var server = NewServer(container))
        {
            await server.ReadAll("summary-t", experiment, [Run("a", RunState.Completed), Run("b", RunState.Running)], Cancel);
            await server.ReadAll("summary-t", experiment, [Run("a", RunState.Completed), Run("b", RunState.Completed)], Cancel);
        }

        await container.GetBlobClient($"summary-t/{experiment}/b/{RunReportStore.RunReportFile}").DeleteAsync(cancellationToken: Cancel);
        using var restarted = NewServer(container);
        Assert.Equal(["a", "b"], (await restarted.ReadAll("summary-t", experiment, [Run("a", RunState.Completed), Run("b", RunState.Completed)], Cancel)).Select(r => r.Name));
    }

    [Fact]
    public async Task AnUnreadableSummaryCostsReadsAndIsRewritten()
    {
        var container = Container();
        var experiment = $"e{Guid.NewGuid():N}"[..12];
        await Upload(container, experiment, Report("a", 1.0));
        var summary = container.GetBlobClient($"summary-t/{experiment}/{RunReportStore.EndedRunReportsFile}");
        await summary.UploadAsync(BinaryData.FromString("not gzip"), overwrite: true, Cancel);
        RunSummary[] runs = [Run("a", RunState.Completed)];

        using (var server = NewServer(container))
            Assert.Equal([1.0], (await server.ReadAll("summary-t", experiment, runs, Cancel)).Select(r => r.ForgettingPoints));

        await container.GetBlobClient($"summary-t/{experiment}/a/{RunReportStore.RunReportFile}").DeleteAsync(cancellationToken: Cancel);
        using var restarted = NewServer(container);
        Assert.Equal([1.0], (await restarted.ReadAll("summary-t", experiment, runs, Cancel)).Select(r => r.ForgettingPoints));
    }

    [Fact]
    public async Task TwoServersAddingRunsAtOnceLoseNeither()
    {
        var container = Container();
        var experiment = $"e{Guid.NewGuid():N}"[..12];
        await Upload(container, experiment, Report("a", 1.0));
        await Upload(container, experiment, Report("b", 2.0));
        using var one = NewServer(container);
        using var two = NewServer(container);

        // Both read the summary while it lacks b; one writes first, the other's write over the older version is refused.
        await one.ReadAll("summary-t", experiment, [Run("a", RunState.Completed)], Cancel);
        await two.ReadAll("summary-t", experiment, [Run("a", RunState.Completed)], Cancel);
        await one.ReadAll("summary-t", experiment, [Run("a", RunState.Completed), Run("b", RunState.Completed)], Cancel);
        await Upload(container, experiment, Report("c", 3.0));
        RunSummary[] all = [Run("a", RunState.Completed), Run("b", RunState.Completed), Run("c", RunState.Completed)];
        await two.ReadAll("summary-t", experiment, all, Cancel);   // stale: refused, then read again next time
        await two.ReadAll("summary-t", experiment, all, Cancel);

        foreach (var run in new[] { "a", "b", "c" })
            await container.GetBlobClient($"summary-t/{experiment}/{run}/{RunReportStore.RunReportFile}").DeleteAsync(cancellationToken: Cancel);
        using var restarted = NewServer(container);
        Assert.Equal(["a", "b", "c"], (await restarted.ReadAll("summary-t", experiment, all, Cancel)).Select(r => r.Name));
    }
}
