using System.Text.Json;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Reports;

namespace ForgetLab.Cli.Tests;

/// <summary>
/// <c>forgetlab search replay</c> as a user runs it on a lab output folder: with the rung checkpoints' items.jsonl beside the
/// report the runs are compared by the paired test, as the live search does; <c>--no-items</c> gives the intervals' fallback.
/// </summary>
public class SearchReplayCommandTests
{
    private static SuiteResult Suite(string name, SuiteCategory category, double delta) =>
        new(name, "1", category, "exact_match", OutcomeKind.Binary, 50, 50 + delta, delta, null, [delta - 8, delta + 8], 0.01, 0.01, null, null, 100, [], [])
        {
            BaseCompetence = category == SuiteCategory.Target ? null : new BaseCompetence(true, 95, 95, 0.001, 0.05, 5),
        };

    private static RunReport Run(string name, double gain)
    {
        CheckpointReport At(long step) => new(step, 1.0, [Suite("target", SuiteCategory.Target, gain + step / 10.0), Suite("capitals", SuiteCategory.Knowledge, -5)]);
        var last = At(50);
        return new RunReport(name, "full", RunStatus.Completed, new Dictionary<string, string>(), Severity.Mild, last.Suites[0].DeltaPoints, 5, false, last.Suites, [At(25), last]);
    }

    /// <summary>A lab output folder: the report and each run's step-25 items (run "more" answers 8 target items "less" does not).</summary>
    private static string LabOutput()
    {
        var dir = CliProcess.TempDirectory();
        var report = new ForgettingReport("grid", DateTimeOffset.UnixEpoch, new BaseModelReport("base", "h", []), [Run("more", 40), Run("less", 32)], []);
        File.WriteAllText(Path.Combine(dir, "report.json"), ReportJson.Serialize(report));
        foreach (var (run, correct) in new[] { ("more", 48), ("less", 40) })
        {
            var folder = Directory.CreateDirectory(Path.Combine(dir, "runs", run, CheckpointFolder.FolderName(25))).FullName;
            var rows = Enumerable.Range(0, 100).Select(i => new ItemResult("target", "1", $"t{i}", i < correct ? 1 : 0, null))
                .Concat(Enumerable.Range(0, 100).Select(i => new ItemResult("capitals", "1", $"c{i}", i % 20 == 0 ? 0 : 1, null)));
            File.WriteAllLines(Path.Combine(folder, ItemResultsFile.FileName), rows.Select(r => JsonSerializer.Serialize(r)));
        }

        return dir;
    }

    [Fact]
    public void TheRungCheckpointsItemsBesideTheReportDecideByThePairedTestAndNoItemsByTheIntervals()
    {
        var dir = LabOutput();

        var paired = CliProcess.Run(dir, "search", "replay", "report.json", "--rungs", "25");
        var intervals = CliProcess.Run(dir, "search", "replay", "report.json", "--rungs", "25", "--no-items");

        Assert.Equal((0, 0), (paired.ExitCode, intervals.ExitCode));
        Assert.Contains("compared by the paired test on the rung checkpoints' items (2 items.jsonl read)", paired.Stdout);
        Assert.Contains("stopped less: dominated at step 25 by more (paired)", paired.Stdout);
        Assert.Contains("compared by the intervals against the base (--no-items)", intervals.Stdout);
        Assert.Contains("stopped nothing", intervals.Stdout);
    }

    [Fact]
    public void ARunsDirThatIsNotThereIsNamed()
    {
        var dir = LabOutput();

        var result = CliProcess.Run(dir, "search", "replay", "report.json", "--rungs", "25", "--runs-dir", "elsewhere");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--runs-dir: no folder 'elsewhere'", result.Stderr);
    }
}
