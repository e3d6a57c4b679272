using AngleSharp.Html.Parser;
using ForgetLab.Dashboard.Data;
using ForgetLab.Dashboard.Warmup;
using Microsoft.Extensions.Logging.Abstractions;

namespace ForgetLab.Dashboard.Tests;

public sealed class PageWarmupTests
{
    [Fact]
    public async Task TheStartUpRenderDrawsTheExperimentPagesWholeFirstScreenFromItsMadeUpExperiment()
    {
        var data = WarmupExperiment.Build(ExampleSpecs.All["quickstart"], DateTimeOffset.UnixEpoch);

        var html = await PageWarmup.RenderExperimentPage(data, NullLoggerFactory.Instance);

        // The same first screen a user's prerender has: the grid's rows, their heatmap, the frontier, in the layout.
        var page = new HtmlParser().ParseDocument(html);
        Assert.Equal("warmup", page.QuerySelector("#experiment-title")?.TextContent.Trim());
        Assert.Equal("false", page.QuerySelector("#experiment-header")?.GetAttribute("data-interactive"));
        Assert.Equal(25, page.QuerySelectorAll("#runs-grid tbody tr.mud-table-row").Length);
        Assert.Equal(250, page.QuerySelectorAll("#heatmap td[data-suite]").Length);
        Assert.Equal(25, page.QuerySelectorAll("#frontier a circle").Length);
        Assert.Contains("warmup · Member", page.QuerySelector("#signed-in-as")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TheMadeUpExperimentsReportIsAssembledAsThePlatformAssemblesOne()
    {
        var data = WarmupExperiment.Build(ExampleSpecs.All["quickstart"], DateTimeOffset.UnixEpoch);

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"run-{i}"), data.Report.Runs.Select(r => r.Name));
        Assert.Equal(10, data.Report.Base.Suites.Count);
        Assert.Equal("target", data.Report.Base.Suites[0].Suite);
        // Each run gains more only by forgetting more, so ReportAssembly puts every run on the front (the reports came unmarked).
        Assert.Equal(data.Report.Runs.Select(r => r.Name).Order(), data.Report.Frontier.Order());
        Assert.All(data.Report.Runs, r => Assert.True(r.ParetoOptimal));
        Assert.All(data.Rows, r => Assert.NotNull(r.Report));
    }
}
