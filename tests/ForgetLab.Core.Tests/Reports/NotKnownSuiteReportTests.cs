using System.Text.Json;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Tests.Reports;

/// <summary>A suite the base does not know, as report.json (the API's report) and report.md carry it.</summary>
public class NotKnownSuiteReportTests
{
    private static ForgettingReport Report()
    {
        var elements = new SuiteResult("element_numbers", "1", SuiteCategory.Knowledge, "exact_match", OutcomeKind.Binary,
            Base: 9.3, Score: 0, DeltaPoints: -9.3, RelativeChange: null, Ci95: [-15.9, -5.4], PValue: 0.001, PHolm: 0.002,
            Severity: null, Retention: 0, N: 118, Lost: ["n1"], Gained: [])
        {
            BaseCompetence = new BaseCompetence(false, 11, 11, 0, 0.05, 20),
            KnownItemRetention = 0, KnownItemRetentionCi95 = [0, 0.259],
        };
        var report = SampleReport.Create();
        var run = report.Runs[0] with { Suites = [.. report.Runs[0].Suites, elements] };
        return report with { Runs = [run with { AtChanceShare = 0.25 }, report.Runs[1]] };
    }

    [Fact]
    public void ReportJsonCarriesTheGateAndKnownItemRetentionAndRoundTrips()
    {
        var json = ReportJson.Serialize(Report());
        var run = JsonDocument.Parse(json).RootElement.GetProperty("runs")[0];
        var suite = run.GetProperty("suites")[2];
        Assert.False(suite.GetProperty("base_competence").GetProperty("known").GetBoolean());
        Assert.Equal(20, suite.GetProperty("base_competence").GetProperty("min_known_items").GetInt32());
        Assert.Equal(JsonValueKind.Null, suite.GetProperty("severity").ValueKind);
        Assert.Equal(0.25, run.GetProperty("at_chance_share").GetDouble());
        Assert.False(suite.TryGetProperty("not_known_by_base", out _)); // derived, not part of the contract

        var back = ReportJson.Deserialize(json);
        Assert.True(back.Runs[0].Suites[2].NotKnownByBase);
        Assert.Equal(json, ReportJson.Serialize(back));
    }

    [Fact]
    public void AReportWrittenBeforeTheGateStillReads()
    {
        // Earlier report.json files have no gate fields: they read with the fields null.
        var json = ReportJson.Serialize(SampleReport.Create()).Replace("\"base_competence\": null,", "", StringComparison.Ordinal);
        var back = ReportJson.Deserialize(json);
        Assert.Null(back.Runs[0].Suites[0].BaseCompetence);
        Assert.False(back.Runs[0].Suites[0].NotKnownByBase);
    }

    [Fact]
    public void MarkdownNamesTheSuiteUpFrontAndMarksItsCells()
    {
        var md = ReportMarkdown.Render(Report());
        Assert.Contains("**Base does not know this suite**", md);
        Assert.Contains("- `element_numbers` (knowledge, exact_match): base 9.3%, 11 of 118 right, 11.0 known above chance (needs 20; above chance p<0.001, needs p<0.05)", md);
        Assert.Contains("−9.3 [−15.9, −5.4] p=0.002, base does not know this suite", md);
        Assert.True(md.IndexOf("Base does not know", StringComparison.Ordinal) < md.IndexOf("## Suites × runs", StringComparison.Ordinal));
    }

    [Fact]
    public void CsvAddsTheGateColumnsAtTheEnd()
    {
        var lines = ReportCsv.Render(Report()).Split('\n');
        Assert.EndsWith(",base_known,base_known_items,known_item_retention,known_item_retention_low,known_item_retention_high,run_at_chance_share", lines[0].TrimEnd('\r'));
        Assert.EndsWith(",false,11,0,0,0.259,0.25", lines[3].TrimEnd('\r'));
    }
}
