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
        Assert.Equal(3, page.QuerySelectorAll("#runs-grid tbody tr.mud-table-row").Length);
        Assert.Equal(9, page.QuerySelectorAll("#heatmap td[data-suite]").Length);
        Assert.Equal(3, page.QuerySelectorAll("#frontier a circle").Length);
        Assert.Contains("warmup · Member", page.QuerySelector("#signed-in-as")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TheMadeUpExperimentsReportIsAssembledAsThePlatformAssemblesOne()
    {
        var data = WarmupExperiment.Build(ExampleSpecs.All["quickstart"], DateTimeOffset.UnixEpoch);

        Assert.Equal(["run-0", "run-1", "run-2"], data.Report.Runs.Select(r => r.Name));
        Assert.Equal(["target", "capitals_recall", "arithmetic"], data.Report.Base.Suites.Select(s => s.Suite));
        // Each run gains more only by forgetting more, so ReportAssembly puts all three on the front (the reports came unmarked).
        Assert.Equal(["run-0", "run-1", "run-2"], data.Report.Frontier.Order());
        Assert.All(data.Report.Runs, r => Assert.True(r.ParetoOptimal));
        Assert.All(data.Rows, r => Assert.NotNull(r.Report));
    }
}
