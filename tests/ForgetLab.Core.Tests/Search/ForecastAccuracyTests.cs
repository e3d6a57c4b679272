using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Search;

namespace ForgetLab.Core.Tests.Search;

public class ForecastAccuracyTests
{
    private static SuiteResult Suite(string name, SuiteCategory category, double delta) =>
        new(name, "1", category, "exact_match", OutcomeKind.Binary, 50, 50 + delta, delta, null, [delta - 5, delta + 5], 0.01, 0.01, null, null, 200, [], [])
        {
            BaseCompetence = category == SuiteCategory.Target ? null : new BaseCompetence(true, 190, 190, 0.001, 0.05, 20),
        };

    private static CheckpointReport Checkpoint(long step, double drop) =>
        new(step, 1.0, [Suite("target", SuiteCategory.Target, 10), Suite("capitals", SuiteCategory.Knowledge, -drop)]);

    private static RunReport Run(string name, RunStatus status, params (long Step, double Drop)[] checkpoints)
    {
        var reports = checkpoints.Select(c => Checkpoint(c.Step, c.Drop)).ToList();
        return new RunReport(name, "full", status, new Dictionary<string, string>(), Severity.Mild, 10, checkpoints[^1].Drop, false, reports[^1].Suites, reports);
    }

    private static ForgettingReport Report(params RunReport[] runs) =>
        new("grid", DateTimeOffset.UnixEpoch, new BaseModelReport("base", "hash", []), runs, []);

    [Fact]
    public void EachCompletedRunIsForecastFromItsFirstCheckpointsAtItsLastStepAndComparedWithItsLast()
    {
        // Forgetting 4·ln(step) exactly at 10, 20 and 40: the forecast at 160 is 4·ln 160 = 20.30 with a zero-width interval.
        var exact = Run("exact", RunStatus.Completed, (10, 4 * Math.Log(10)), (20, 4 * Math.Log(20)), (40, 4 * Math.Log(40)), (80, 17), (160, 25));

        var check = Assert.Single(ForecastAccuracy.Check(Report(exact), from: 3));

        Assert.Equal((3, 160L), (check.Forecast.Checkpoints, check.Forecast.AtStep));
        Assert.Equal(4 * Math.Log(160), check.Forecast.Estimate, 6);
        Assert.Equal(25, check.Actual);
        Assert.False(check.Inside);
        Assert.Equal(4 * Math.Log(160) - 25, check.Error, 6);
    }

    [Fact]
    public void RunsThatDidNotFinishOrHaveTooFewCheckpointsAreLeftOut()
    {
        var report = Report(
            Run("stopped", RunStatus.StoppedEarly, (10, 1), (20, 2), (30, 3), (40, 4)),
            Run("short", RunStatus.Completed, (0, 0), (10, 1), (20, 2), (30, 3)),
            Run("kept", RunStatus.Completed, (0, 0), (10, 1), (20, 2), (30, 3), (40, 4)));

        Assert.Equal(["kept"], ForecastAccuracy.Check(report, from: 3).Select(c => c.Run));
        Assert.Empty(ForecastAccuracy.Check(report, from: 4));
    }

    [Fact]
    public void AForecastByDriftChecksOnlyTheRunsWhoseFittedCheckpointsMeasuredIt()
    {
        // Mean drift over the layer groups 0.01·ln(step); forgetting 40 + 10·ln(drift) at the first three, measured 30 at the last.
        static CheckpointReport Drifted(long step) => Checkpoint(step, 40 + 10 * Math.Log(0.01 * Math.Log(step))) with
        {
            Drift = new Dictionary<string, double> { ["h.0"] = 0.005 * Math.Log(step), ["h.1"] = 0.015 * Math.Log(step) },
        };
        var drifted = Run("drifted", RunStatus.Completed, (10, 0), (20, 0), (40, 0), (1000, 30)) with
        {
            Checkpoints = [Drifted(10), Drifted(20), Drifted(40), Checkpoint(1000, 30)],
        };
        var unmeasured = Run("unmeasured", RunStatus.Completed, (10, 1), (20, 2), (40, 3), (80, 4));

        var check = Assert.Single(ForecastAccuracy.Check(Report(drifted, unmeasured), from: 3, ForecastInput.Drift));

        Assert.Equal(("drifted", ForecastInput.Drift, 30.0), (check.Run, check.Forecast.Input, check.Actual));
        Assert.Equal(40 + 10 * Math.Log(0.01 * Math.Log(1000)), check.Forecast.Estimate, 6);
        Assert.Equal(2, ForecastAccuracy.Check(Report(drifted, unmeasured), from: 3).Count);
    }

    [Fact]
    public void TheSummaryCountsFinalValuesInsideTheirIntervalAndAveragesTheErrors()
    {
        ForecastCheck Check(double estimate, double low, double high, double actual) =>
            new("r", new ForgettingForecast(100, estimate, low, high, 3, 0, 0), actual);

        var summary = ForecastAccuracy.Summarise([Check(10, 5, 15, 12), Check(20, 18, 22, 30), Check(5, 0, 40, 5)]);

        Assert.Equal((3, 2), (summary.Runs, summary.Inside));
        Assert.Equal((2 + 10 + 0) / 3.0, summary.MeanAbsoluteError, 12);
        Assert.Equal((-2 - 10 + 0) / 3.0, summary.MeanError, 12);
        Assert.Equal(10, summary.MedianWidth, 12);
        Assert.True(double.IsNaN(ForecastAccuracy.Summarise([]).MeanAbsoluteError));
    }
}
