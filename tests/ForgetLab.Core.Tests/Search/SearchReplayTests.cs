using ForgetLab.Core.Analysis;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Search;

namespace ForgetLab.Core.Tests.Search;

public class SearchReplayTests
{
    private static SuiteResult Suite(string name, SuiteCategory category, double delta, double low, double high) =>
        new(name, "1", category, "exact_match", OutcomeKind.Binary, 50, 50 + delta, delta, null, [low, high], 0.01, 0.01, null, null, 200, [], [])
        {
            BaseCompetence = category == SuiteCategory.Target ? null : new BaseCompetence(true, 190, 190, 0.001, 0.05, 20),
        };

    private static CheckpointReport Checkpoint(long step, double gain, double drop) =>
        new(step, 1.0, [Suite("target", SuiteCategory.Target, gain, gain - 8, gain + 8), Suite("capitals", SuiteCategory.Knowledge, -drop, -drop - 5, -drop + 5)]);

    private static RunReport Run(string name, params CheckpointReport[] checkpoints)
    {
        var last = checkpoints[^1];
        return new RunReport(name, "full", RunStatus.Completed, new Dictionary<string, string>(), Severity.Mild,
            last.Suites[0].DeltaPoints, -last.Suites[1].DeltaPoints, false, last.Suites, checkpoints);
    }

    private static ForgettingReport Report(params RunReport[] runs) =>
        new("grid", DateTimeOffset.UnixEpoch, new BaseModelReport("base", "hash", []), runs, []);

    [Fact]
    public void WithTheRungCheckpointsItemsTheReplayComparesRunsByThePairedTestAsTheLiveSearchDoes()
    {
        // Intervals that overlap (40 ± 8 against 32 ± 8): the interval rule stops nothing.
        var report = Report(
            Run("more", Checkpoint(25, 40, 5), Checkpoint(50, 50, 8)),
            Run("less", Checkpoint(25, 32, 5), Checkpoint(50, 45, 8)));
        Assert.Empty(SearchReplay.Replay(report, [25], keep: 1).Stopped);

        // On the items, "more" answers every target item "less" does and eight more; both recall the same facts.
        static ItemResult[] Items(int targetCorrect) =>
        [
            .. Enumerable.Range(0, 100).Select(i => new ItemResult("target", "1", $"t{i}", i < targetCorrect ? 1 : 0, null)),
            .. Enumerable.Range(0, 100).Select(i => new ItemResult("capitals", "1", $"c{i}", i % 20 == 0 ? 0 : 1, null)),
        ];
        var asked = new List<(string, long)>();
        var result = SearchReplay.Replay(report, [25], keep: 1, (run, step) =>
        {
            asked.Add((run, step));
            return Items(run == "more" ? 48 : 40);
        });

        var stop = Assert.Single(result.Stopped);
        Assert.Equal(("less", "dominated at step 25 by more", true), (stop.Run, stop.Reason, stop.OnItems));
        Assert.Equal([("more", 25L), ("less", 25L)], asked);
    }

    [Fact]
    public void ARunDominatedAtTheRungIsCountedStoppedThereAndTheFrontOfTheRestIsCompared()
    {
        var report = Report(
            Run("strong", Checkpoint(25, 40, 5), Checkpoint(50, 50, 8)),
            Run("weak", Checkpoint(25, 5, 30), Checkpoint(50, 10, 40)));

        var result = SearchReplay.Replay(report, [25], keep: 1);

        Assert.Equal("dominated at step 25 by strong", Assert.Single(result.Stopped).Reason);
        Assert.Equal((100L, 75L), (result.FullRunSteps, result.SearchedRunSteps));
        Assert.Equal(0.25, result.SavedShare, 12);
        Assert.True(result.SameFront);
    }

    [Fact]
    public void StoppingARunThatWouldHaveReachedTheFrontIsReportedAsADifferentFront()
    {
        // "late" looks dominated at step 25 but ends with the least forgetting of all.
        var report = Report(
            Run("early", Checkpoint(25, 40, 5), Checkpoint(50, 50, 20)),
            Run("late", Checkpoint(25, 5, 30), Checkpoint(50, 20, 2)));

        var result = SearchReplay.Replay(report, [25], keep: 1);

        Assert.False(result.SameFront);
        Assert.Equal(["early", "late"], result.FullFront);
        Assert.Equal(["early"], result.SearchedFront);
    }

    [Fact]
    public void DeviceTimeSavedCountsAStoppedRunsCheckpointsOnlyUpToItsRung()
    {
        static CheckpointReport Timed(CheckpointReport c, double train, double eval) => c with { TrainingSeconds = train, EvaluationSeconds = eval };
        var report = Report(
            Run("strong", Timed(Checkpoint(25, 40, 5), 100, 10), Timed(Checkpoint(50, 50, 8), 90, 10)),
            Run("weak", Timed(Checkpoint(25, 5, 30), 120, 20), Timed(Checkpoint(50, 10, 40), 110, 20)));

        var result = SearchReplay.Replay(report, [25], keep: 1);

        Assert.Equal(100 + 10 + 90 + 10 + 120 + 20 + 110 + 20, result.FullDeviceSeconds);
        Assert.Equal(100 + 10 + 90 + 10 + 120 + 20, result.SearchedDeviceSeconds);
        Assert.Null(SearchReplay.Replay(Report(Run("untimed", Checkpoint(25, 40, 5), Checkpoint(50, 50, 8))), [25], keep: 1).FullDeviceSeconds);
    }

    [Fact]
    public void TheForecastIsCheckedOnEveryRunWithFourCheckpointsAgainstItsLast()
    {
        var run = Run("r", Checkpoint(25, 10, 5), Checkpoint(50, 12, 8), Checkpoint(75, 13, 10), Checkpoint(100, 14, 11));

        var check = Assert.Single(SearchReplay.Replay(Report(run), [25], keep: 1).Forecasts);

        Assert.Equal(3, check.Forecast.Checkpoints);
        Assert.Equal(100, check.Forecast.AtStep);
        Assert.Equal(11, check.Actual);
    }
}
