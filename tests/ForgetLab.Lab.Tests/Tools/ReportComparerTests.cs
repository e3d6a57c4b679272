using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ForgetLab.Lab.Tests.Tools;

/// <summary>
/// <c>tools/reports/compare.py</c>, the one comparer of two report.json files that the docs' "the lab and the platform
/// agree" lines come from (docs/own-data.md step 8, docs/models.md). Runs it (Python's standard library, well under a
/// second) on the committed own-world reports and on copies with one field changed.
/// </summary>
public class ReportComparerTests
{
    private const string Python = "/usr/bin/python3";

    private static readonly string Root = Model.ReferenceModels.RepoRoot();

    private static readonly string LabReport = Path.Combine(Root, "docs", "runs", "own-world", "report.json");

    private static readonly string PlatformReport = Path.Combine(Root, "docs", "runs", "own-world-platform", "report.json");

    private static (int ExitCode, string Output) Compare(params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[Path.Combine(Root, "tools", "reports", "compare.py"), .. arguments]) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "compare.py did not finish within a minute");
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static string Changed(Action<JsonNode> change)
    {
        var report = JsonNode.Parse(File.ReadAllText(PlatformReport))!;
        change(report);
        var path = Path.Combine(TinyModels.TempDirectory(), "report.json");
        File.WriteAllText(path, report.ToJsonString());
        return path;
    }

    private static JsonNode Cell(JsonNode report, string run, string suite) =>
        report["runs"]!.AsArray().Single(r => (string)r!["name"]! == run)!["suites"]!.AsArray().Single(s => (string)s!["suite"]! == suite)!;

    [Fact]
    public void TheLabsAndThePlatformsReportsOfTheOwnWorldAgreeInEveryFieldAndEveryRunCell()
    {
        var (exit, output) = Compare(LabReport, PlatformReport, "--suites", "--labels", "lab,platform");

        Assert.True(exit == 0, output);
        Assert.Contains("| country_recall | exact_match | 100.0 | 100.0 | yes | 6 of 6 |", output);
        Assert.Contains("54 of 54 run cells identical", output);
        Assert.Matches(@"agree: 0 of \d+ fields differ", output);
    }

    [Fact]
    public void OneChangedScoreIsNamedByItsPathAndCountsAsOneUnequalRunCell()
    {
        var changed = Changed(r => Cell(r, "naive-lora-r8-lr1e-3-steps60-seed1", "offset_mc")["score"] = 12.5);

        var (exit, output) = Compare(PlatformReport, changed, "--suites");

        Assert.Equal(1, exit);
        Assert.Contains("| offset_mc | acc | 98.0 | 98.0 | yes | 5 of 6 |", output);
        Assert.Contains("runs.naive-lora-r8-lr1e-3-steps60-seed1.suites.offset_mc.score: 97.5 vs 12.5", output);
        Assert.Matches(@"differ: 1 of \d+ fields differ", output);
    }

    [Fact]
    public void WhereAReportCameFromAndHowLongItTookAreNotCompared()
    {
        var changed = Changed(r =>
        {
            r["created_utc"] = "2000-01-01T00:00:00Z";
            r["base"]!["model_hash"] = "c7fd870ea02f068d";
            r["runs"]![0]!["time"]!["training_seconds"] = 1.0;
            r["runs"]![0]!["checkpoints"]![0]!["evaluation_seconds"] = 1.0;
            r["data"]![0]!["file"] = "corpus.jsonl";
        });

        var (exit, output) = Compare(PlatformReport, changed);

        Assert.True(exit == 0, output);
    }

    [Fact]
    public void ADataFilesHashIsComparedByItsRole()
    {
        var changed = Changed(r => r["data"]!.AsArray().Single(d => (string)d!["role"]! == "target")!["sha256"] = "0000");

        var (exit, output) = Compare(PlatformReport, changed);

        Assert.Equal(1, exit);
        Assert.Contains("data: 1 fields differ", output);
        Assert.Contains("data.target.sha256:", output);
    }

    [Fact]
    public void AFileThatIsNotAReportIsRefusedWithExitStatusTwo()
    {
        var notReport = Path.Combine(TinyModels.TempDirectory(), "report.json");
        File.WriteAllText(notReport, "[1, 2]");

        var (exit, output) = Compare(PlatformReport, notReport);

        Assert.Equal(2, exit);
        Assert.Contains("a report.json is an object with a `runs` list", output);
    }
}
