using System.Xml.Linq;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;

namespace ForgetLab.Cli.Tests;

/// <summary><c>forgetlab plot</c> as a user runs it: SVG files from a report.json, the fits on stdout, bad input refused.</summary>
public class PlotCommandTests
{
    private static SuiteResult Capitals(double delta) =>
        new("capitals_recall", "1", SuiteCategory.Knowledge, "exact_match", OutcomeKind.Binary, 90, 90 + delta, delta, null, [delta - 5, delta + 5],
            0.01, 0.01, Severity.Mild, null, 100, [], []);

    private static RunReport Run(double lr, double drop, double gain) =>
        new($"full-lr{lr}-steps60-seed1", "full", RunStatus.Completed,
            new Dictionary<string, string> { ["method"] = "full", ["lr"] = lr.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            Severity.Mild, gain, drop, false, [Capitals(-drop)],
            [.. new[] { 20, 40, 60 }.Select(step => new CheckpointReport(step, 1.0, [Capitals(-drop * Math.Pow(step / 60.0, 0.5))]))]);

    [Fact]
    public void AReportBecomesSvgFilesAndFits()
    {
        var dir = CliProcess.TempDirectory();
        var report = new ForgettingReport("sweep", DateTimeOffset.UnixEpoch, new BaseModelReport("builtin-gpt2-4x256", "h", []),
            [Run(1e-4, 10, 20), Run(3e-4, 40, 50)], []);
        File.WriteAllText(Path.Combine(dir, "report.json"), ReportJson.Serialize(report));

        var result = CliProcess.Run(dir, "plot", "report.json", "--out", "figs");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["sweep-frontier.svg", "sweep-lr.svg", "sweep-steps.svg"],
            Directory.GetFiles(Path.Combine(dir, "figs")).Select(Path.GetFileName).Order());
        Assert.All(Directory.GetFiles(Path.Combine(dir, "figs")), f => Assert.Equal("svg", XDocument.Load(f).Root!.Name.LocalName));
        Assert.Contains("x^0.500, R² = 1.000 (3 of 3 points)", result.Stdout);
    }

    [Fact]
    public void SearchReplayReadsItsReportAsPlotDoesAndNamesAFileThatIsNotOne()
    {
        var dir = CliProcess.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "grid.json"), "[1, 2");

        var result = CliProcess.Run(dir, "search", "replay", "grid.json", "--rungs", "25");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("grid.json: not a forgetting report", result.Stderr);
    }

    [Fact]
    public void SomethingOtherThanAReportExitsWithCode2()
    {
        var dir = CliProcess.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "report.json"), "{\"not\": \"a report\"");

        var result = CliProcess.Run(dir, "plot", "report.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("report.json: not a forgetting report", result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, "plots")));
    }

    [Fact]
    public void AMissingReportExitsWithCode2() =>
        Assert.Equal(2, CliProcess.Run(CliProcess.TempDirectory(), "plot", "nowhere.json").ExitCode);
}
