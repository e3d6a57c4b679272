using Microsoft.Extensions.DependencyInjection;
using ForgetLab.Dashboard.Data;
using ForgetLab.Dashboard.Pages.Experiments;
using ForgetLab.Dashboard.Pages.Submit;
using Microsoft.AspNetCore.Components;

namespace ForgetLab.Dashboard.Tests;

public sealed class PageTests : DashboardTestContext
{
    [Fact]
    public void ExperimentPageWithFiveHundredRunsRendersOnePageOfTheGridFromOneDataCall()
    {
        Data.Experiments["big"] = SampleReports.Experiment("big", runs: 500, suites: 10);

        var page = Render<ExperimentPage>(p => p.Add(c => c.ExperimentId, "big"));

        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("#heatmap tbody tr").Count));
        Assert.Equal(25, page.FindAll("#runs-grid tbody tr.mud-table-row").Count);
        Assert.Equal(25 * 10, page.FindAll("#heatmap td[data-suite]").Count);
        Assert.Equal(500, page.FindAll("#frontier a circle").Count);
        Assert.Equal(10, page.FindAll("#baseline tbody tr").Count);
        Assert.Equal(1, Data.ExperimentCalls);
        Assert.Equal("/experiments/big/report.csv", page.Find("#export-csv").GetAttribute("href"));
    }

    [Fact]
    public void GridFilterSortAndPageHappenOnTheServer()
    {
        var rows = SampleReports.Experiment("e", runs: 100, suites: 3).Rows;

        var (page, total) = RunGridQuery.Apply(rows, "lora", null, "forgetting", descending: true, page: 1, pageSize: 10);

        Assert.Equal(50, total);
        Assert.Equal(10, page.Count);
        Assert.All(page, r => Assert.Equal("lora", r.Report!.Method));
        Assert.True(page.Zip(page.Skip(1)).All(p => p.First.Report!.ForgettingPoints >= p.Second.Report!.ForgettingPoints));
        Assert.Equal(rows.Where(r => r.Report!.Method == "lora").OrderByDescending(r => r.Report!.ForgettingPoints).Skip(10).First().RunId, page[0].RunId);
    }

    [Fact]
    public void AnotherTenantsExperimentIsTheNotFoundPage()
    {
        var notFound = false;
        Services.GetRequiredService<NavigationManager>().OnNotFound += (_, _) => notFound = true;

        var page = Render<ExperimentPage>(p => p.Add(c => c.ExperimentId, "someone-elses"));

        page.WaitForAssertion(() => Assert.True(notFound));
        Assert.Empty(page.FindAll("#runs-grid"));
    }

    [Fact]
    public void SubmitPageStartsFromTheQuickstartAndNamesTheLineOfEachProblem()
    {
        var page = Render<SubmitPage>();
        Assert.NotNull(page.Find("#spec-valid"));
        Assert.Contains("name: quickstart", page.Find("textarea").GetAttribute("value") ?? page.Find("textarea").TextContent);

        var broken = ExampleSpecs.All["quickstart"].Replace("  steps: 80", "  steps: -5", StringComparison.Ordinal);
        var line = broken.Split('\n').ToList().FindIndex(l => l.Contains("steps: -5", StringComparison.Ordinal)) + 1;
        page.Find("textarea").Input(broken);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#spec-invalid")), TimeSpan.FromSeconds(5));
        var error = page.Find(".fl-spec-error");
        Assert.Contains($"line {line}", error.TextContent);
        Assert.Contains("train.steps", error.TextContent);
        Assert.Contains("steps: -5", error.QuerySelector("pre")!.TextContent);
        Assert.True(page.Find("#submit").HasAttribute("disabled"));
    }
}
