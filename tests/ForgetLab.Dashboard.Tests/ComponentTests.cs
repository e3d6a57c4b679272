using AngleSharp.Dom;
using ForgetLab.Core.Analysis;
using ForgetLab.Dashboard.Components;
using ForgetLab.Dashboard.Data;

namespace ForgetLab.Dashboard.Tests;

public sealed class ComponentTests : DashboardTestContext
{
    [Fact]
    public void HeatmapHasOneCellPerRunAndSuiteWithItsDeltaBadgeAndCiOnHover()
    {
        var suites = SampleReports.Suites(4);
        var runs = Enumerable.Range(0, 7).Select(i => SampleReports.Run(i, suites)).ToList();

        var heatmap = Render<ForgettingHeatmap>(p => p.Add(c => c.Runs, runs).Add(c => c.Suites, suites).Add(c => c.RunLink, r => "/runs/" + r));

        var cells = heatmap.FindAll("td[data-suite]");
        Assert.Equal(7 * 4, cells.Count);
        var cell = heatmap.Find("td[data-run='run-006'][data-suite='suite02']");
        Assert.Equal("-6.0", cell.QuerySelector(".fl-delta")!.TextContent);
        Assert.Equal("moderate", cell.QuerySelector(".fl-badge")!.TextContent);
        Assert.Contains("95% CI [-9.00, -3.00]", cell.GetAttribute("title"));
        Assert.Contains("p = 0.001", cell.GetAttribute("title"));
        Assert.Contains("rgba(198, 40, 40", cell.GetAttribute("style"));
        Assert.Equal("/runs/run-006", heatmap.Find("a[href='/runs/run-006']").GetAttribute("href"));
    }

    [Fact]
    public void HeatmapDrawsAGainBlueAndAnInsignificantChangeFaint()
    {
        var suites = SampleReports.Suites(2);
        var heatmap = Render<ForgettingHeatmap>(p => p.Add(c => c.Runs, [SampleReports.Run(5, suites), SampleReports.Run(0, suites)]).Add(c => c.Suites, suites));

        Assert.Contains("rgba(21, 101, 192", heatmap.Find("td[data-run='run-005'][data-suite='target']").GetAttribute("style"));
        Assert.Contains("rgba(21, 101, 192, 0.08)", heatmap.Find("td[data-run='run-000'][data-suite='suite01']").GetAttribute("style"));
    }

    [Fact]
    public void HeatmapNamesTheSuitesTheBaseDoesNotKnowAndDrawsThemGreyWithoutABand()
    {
        var suites = SampleReports.Suites(3);
        var run = SampleReports.Run(12, suites);
        var notKnown = run.Suites[2] with { Severity = null, BaseCompetence = new BaseCompetence(false, 11, 11, 0, 0.05, 20) };
        run = run with { Suites = [run.Suites[0], run.Suites[1], notKnown] };

        var heatmap = Render<ForgettingHeatmap>(p => p.Add(c => c.Runs, [run]).Add(c => c.Suites, suites));

        Assert.Contains("Base does not know this suite", heatmap.Find("#not-known").TextContent);
        Assert.Contains("suite02", heatmap.Find("#not-known").TextContent);
        var cell = heatmap.Find("td[data-suite='suite02']");
        Assert.Equal("not known", cell.QuerySelector(".fl-badge")!.TextContent);
        Assert.DoesNotContain("rgba(198, 40, 40", cell.GetAttribute("style"));
        Assert.Contains("base does not know this suite: base 90.0%, 11 of 200 right", cell.GetAttribute("title"));
        Assert.Equal("moderate", heatmap.Find("td[data-suite='suite01']").QuerySelector(".fl-badge")!.TextContent);
    }

    [Fact]
    public void ASuiteAtChanceIsLabelledAtChance()
    {
        var badge = Render<SeverityBadge>(p => p.Add(c => c.Severity, Severity.AtChance));
        Assert.Equal("at chance", badge.Find(".fl-badge").TextContent);
        Assert.Contains("fl-sev-at-chance", badge.Find(".fl-badge").ClassName);
    }

    [Fact]
    public void FrontierLinksEveryPointToItsRunAndDrawsTheFrontThroughTheFrontRunsOnly()
    {
        var suites = SampleReports.Suites(3);
        var runs = Enumerable.Range(0, 12).Select(i => SampleReports.Run(i, suites)).ToList();

        var scatter = Render<FrontierScatter>(p => p.Add(c => c.Runs, runs).Add(c => c.RunLink, r => "/runs/" + r));

        Assert.Equal(12, scatter.FindAll("a circle").Count);
        Assert.All(runs, r => scatter.Find($"a[href='/runs/{r.Name}'] circle[data-run='{r.Name}']"));
        Assert.Equal(2, scatter.FindAll("circle[fill='#2e7d32']").Count);
        Assert.Equal(2, scatter.Find("polyline").GetAttribute("points")!.Split(' ').Length);
    }

    [Fact]
    public void SeverityBadgeNamesTheBandAndShowsNothingWithoutOne()
    {
        Assert.Equal("catastrophic", Render<SeverityBadge>(p => p.Add(c => c.Severity, Severity.Catastrophic)).Find(".fl-sev-catastrophic").TextContent);
        Assert.Empty(Render<SeverityBadge>(p => p.Add(c => c.Severity, (Severity?)null)).Markup.Trim());
    }

    [Fact]
    public void ItemChangesSayWhatWasAskedWhatTheBaseAnsweredAndWhatTheCheckpointAnswers()
    {
        IReadOnlyList<ItemChange> items =
        [
            new("capital:peru", true, "Lima", "Quito", "The capital of Peru is"),
            new("capital:chad", false, "Cairo", "N'Djamena", "The capital of Chad is"),
            new("capital:old", true, null, "Rome"), // recorded before prompts and base answers were stored
        ];

        var list = Render<ItemChangeList>(p => p.Add(c => c.Items, items));

        var lines = list.FindAll("#item-changes .mud-list-item").Select(l => string.Join(' ', l.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Equal(
        [
            "forgot: The capital of Peru is … — base answered Lima, this checkpoint answers Quito",
            "learned: The capital of Chad is … — base answered Cairo, this checkpoint answers N'Djamena",
            "forgot: capital:old — this checkpoint answers Rome",
        ], lines);
        Assert.Equal("capital:peru", list.Find("#item-changes span[title]").GetAttribute("title"));
    }
}
