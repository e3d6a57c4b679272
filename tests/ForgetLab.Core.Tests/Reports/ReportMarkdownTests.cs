using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Tests.Reports;

public class ReportMarkdownTests
{
    private static readonly string Markdown = ReportMarkdown.Render(SampleReport.Create());

    [Fact]
    public void BinaryCellShowsSignedDeltaIntervalAndBand() =>
        Assert.Equal("−12.3 [−18.0, −6.5] moderate",
            ReportMarkdown.FormatCell(SampleReport.Capitals(-12.3, -18.0, -6.5, Severity.Moderate)));

    [Fact]
    public void ContinuousCellShowsMetricDeltaRelativeChangeAndHolmP() =>
        Assert.Equal("+0.210 [0.160, 0.260] (+8.4%) p<0.001", ReportMarkdown.FormatCell(SampleReport.WikiText(0.21)));

    [Fact]
    public void SuitesTableHasOneRowPerSuiteAndOneColumnPerRun()
    {
        Assert.Contains("| suite | category | metric | base | full-lr1e-4 | lora-lr1e-3 |", Markdown);
        Assert.Contains("| capitals | knowledge | acc | 91.2 | −12.3 [−18.0, −6.5] moderate | +0.4 [−1.2, 2.0] none |", Markdown);
        Assert.Contains("| wiki_text | language | nats_per_token | 2.500 | +0.210", Markdown);
    }

    [Fact]
    public void RunsSummaryShowsSeverityGainForgettingAndFrontierMark()
    {
        Assert.Contains("| full-lr1e-4 | full | completed | moderate | +40.5 | 12.3 | – | ★ |", Markdown);
        Assert.Contains("| lora-lr1e-3 | lora | stopped early | none | +20.0 | 0.0 | – | ★ |", Markdown);
    }

    [Fact]
    public void LostFactsAreNamed() =>
        Assert.Contains("- **full-lr1e-4 / capitals** (2 of 198 lost, 1 gained): `Q_France_capital`, `Q_Peru_capital`", Markdown);

    [Fact]
    public void RunsOffTheFrontierGetNoMark()
    {
        var report = SampleReport.Create() with { Frontier = ["lora-lr1e-3"] };
        Assert.Contains("| full-lr1e-4 | full | completed | moderate | +40.5 | 12.3 | – |  |", ReportMarkdown.Render(report));
    }

    [Fact]
    public void WhereTheTimeWentSumsEachRunsCheckpointsAndIsLeftOutWhenNothingWasTimed()
    {
        Assert.DoesNotContain("## Where the time went", Markdown);

        var report = SampleReport.Create();
        var full = report.Runs[0];
        var timed = full with
        {
            Checkpoints = [.. full.Checkpoints.Select((c, i) => c with { TrainingSeconds = 10.0 * (i + 1), EvaluationSeconds = 30.0 })],
        };
        Assert.Equal(full.Checkpoints.Count * 30.0, timed.Time!.EvaluationSeconds);
        var md = ReportMarkdown.Render(report with { Runs = [timed, .. report.Runs.Skip(1)] });

        var training = Enumerable.Range(1, full.Checkpoints.Count).Sum(i => 10.0 * i);
        var evaluation = full.Checkpoints.Count * 30.0;
        Assert.Contains("## Where the time went", md);
        Assert.Contains($"| full-lr1e-4 | {training:0.0} | {evaluation:0.0} | {100 * evaluation / (training + evaluation):0}% |", md);
        Assert.DoesNotContain("| lora-lr1e-3 |", md[md.IndexOf("## Where the time went", StringComparison.Ordinal)..]);
    }
}
