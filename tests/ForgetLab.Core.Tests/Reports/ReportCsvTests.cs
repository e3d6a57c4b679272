using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Tests.Reports;

public class ReportCsvTests
{
    private static readonly string[] Lines = ReportCsv.Render(SampleReport.Create()).TrimEnd('\n').Split('\n');

    [Fact]
    public void OneRowPerRunAndSuiteUnderTheHeader()
    {
        var report = SampleReport.Create();
        Assert.Equal(ReportCsv.Header, Lines[0].TrimEnd('\r'));
        Assert.Equal(1 + report.Runs.Sum(r => r.Suites.Count), Lines.Length);
    }

    [Fact]
    public void RowsCarryTheDeltaItsIntervalAndTheEnumsAsTheJsonSpellsThem()
    {
        var row = Lines.Single(l => l.StartsWith("full-lr1e-4,", StringComparison.Ordinal) && l.Contains(",capitals,", StringComparison.Ordinal)).TrimEnd('\r').Split(',');
        var column = ReportCsv.Header.Split(',').Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        Assert.Equal("completed", row[column["status"]]);
        Assert.Equal("knowledge", row[column["category"]]);
        Assert.Equal("-12.3", row[column["delta"]]);
        Assert.Equal("-18", row[column["ci95_low"]]);
        Assert.Equal("-6.5", row[column["ci95_high"]]);
        Assert.Equal("moderate", row[column["severity"]]);
        Assert.Equal("true", row[column["pareto_optimal"]]);
        Assert.Contains(Lines, l => l.StartsWith("lora-lr1e-3,lora,stopped_early,", StringComparison.Ordinal));
    }
}
