using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Tests.Reports;

public class RunComparisonTests
{
    private static SuiteResult Facts(double score, string version = "1", bool? higherIsBetter = true) =>
        new("facts", version, SuiteCategory.Knowledge, "exact_match", OutcomeKind.Binary,
            Base: 100, Score: score, DeltaPoints: score - 100, RelativeChange: null, Ci95: [score - 110, score - 90],
            PValue: 0.01, PHolm: 0.01, Severity: Severity.Moderate, Retention: score / 100, N: 4, Lost: [], Gained: [])
        { HigherIsBetter = higherIsBetter };

    private static RunReport Run(string name, IReadOnlyList<SuiteResult> suites, params CheckpointReport[] checkpoints) =>
        new(name, "full", RunStatus.Completed, new Dictionary<string, string>(), Severity.Moderate, 10, 20, false, suites, checkpoints);

    private static ItemScore[] Items(params double[] values) =>
        [.. values.Select((v, i) => new ItemScore("facts", "1", $"q{i}", v))];

    [Fact]
    public void TheFinalCheckpointIsTheOneWhoseScoresTheRunReportsNotTheLastOneTrained()
    {
        // Early stopping kept step 10; step 20 was trained and evaluated after it.
        var run = Run("stopped", [Facts(75)], new CheckpointReport(10, 1.0, [Facts(75)]), new CheckpointReport(20, 0.9, [Facts(50)]));
        var unmatched = Run("odd", [Facts(75)], new CheckpointReport(10, 1.0, [Facts(60)]), new CheckpointReport(20, 0.9, [Facts(50)]));

        Assert.Equal(10, RunComparison.FinalCheckpoint(run)!.Step);
        Assert.Equal(20, RunComparison.FinalCheckpoint(unmatched)!.Step);
        Assert.Null(RunComparison.FinalCheckpoint(Run("never", [])));
    }

    [Fact]
    public void ASuiteTheBaseDoesNotKnowIsMarkedSoBesideItsDeltaAndHasNoSeverity()
    {
        var notKnown = Facts(0) with
        {
            Base = 5, DeltaPoints = -5, Severity = null,
            BaseCompetence = new BaseCompetence(Known: false, Correct: 1, KnownItems: 1, PAboveChance: null, Alpha: 0.05, MinKnownItems: 20),
        };
        var reference = new ComparisonInput("exp/a", Run("a", [Facts(100)], new CheckpointReport(10, 1, [Facts(100)])), null);
        var other = new ComparisonInput("exp/b", Run("b", [notKnown], new CheckpointReport(10, 1, [notKnown])), null);

        var runs = RunComparison.Compare([reference, other]).Suites.Single().Runs;

        Assert.False(runs.Single(r => r.Run == "exp/a").NotKnownByBase);
        var b = runs.Single(r => r.Run == "exp/b");
        Assert.True(b.NotKnownByBase);
        Assert.Null(b.Severity);
        Assert.Equal(-5, b.DeltaPoints);
    }

    [Fact]
    public void EachRunIsPairedWithTheReferenceItemByItemOnTheItemsBothScored()
    {
        var reference = new ComparisonInput("exp/a", Run("a", [Facts(100)], new CheckpointReport(10, 1, [Facts(100)])), Items(1, 1, 1, 1));
        var other = new ComparisonInput("exp/b", Run("b", [Facts(50)], new CheckpointReport(10, 1, [Facts(50)])), [.. Items(1, 0, 1, 0), new ItemScore("facts", "1", "only-here", 1)]);

        var view = RunComparison.Compare([reference, other]);

        Assert.Equal("exp/a", view.Reference);
        var suite = Assert.Single(view.Suites);
        Assert.Equal(["exp/a", "exp/b"], suite.Runs.Select(r => r.Run));
        var paired = Assert.Single(suite.Paired);
        Assert.True(paired.Paired);
        Assert.Equal((4, 1, 100.0, 50.0, -50.0, 2, 0), (paired.N, paired.Unpaired, paired.ReferenceScore, paired.Score, paired.DeltaPoints, paired.Lost, paired.Gained));
        Assert.Equal([10L, 10L], view.Runs.Select(r => r.FinalStep));
    }

    [Fact]
    public void AnItemScoredTwiceCountsOnceWithItsLastValue()
    {
        var reference = new ComparisonInput("a", Run("a", [Facts(100)], new CheckpointReport(10, 1, [Facts(100)])), Items(1, 1));
        var rescored = new ComparisonInput("b", Run("b", [Facts(100)], new CheckpointReport(10, 1, [Facts(100)])), [.. Items(0, 1), new ItemScore("facts", "1", "q0", 1)]);

        var paired = Assert.Single(Assert.Single(RunComparison.Compare([reference, rescored]).Suites).Paired);

        Assert.Equal((2, 0.0, 0), (paired.N, paired.DeltaPoints, paired.Lost));
    }

    [Fact]
    public void DifferentSuiteVersionsOrMissingItemsAreNeverComparedAndSayWhy()
    {
        var reference = new ComparisonInput("a", Run("a", [Facts(100)], new CheckpointReport(10, 1, [Facts(100)])), Items(1, 1));
        var otherVersion = new ComparisonInput("b", Run("b", [Facts(50, version: "2")], new CheckpointReport(10, 1, [Facts(50, version: "2")])), Items(1, 0));
        var noItems = new ComparisonInput("c", Run("c", [Facts(50)], new CheckpointReport(10, 1, [Facts(50)])), null);
        var otherIds = new ComparisonInput("d", Run("d", [Facts(50)], new CheckpointReport(10, 1, [Facts(50)])), [new ItemScore("facts", "1", "elsewhere", 1)]);

        var paired = Assert.Single(RunComparison.Compare([reference, otherVersion, noItems, otherIds]).Suites).Paired;

        Assert.All(paired, p => Assert.False(p.Paired));
        Assert.Equal(
            ["suite versions differ ('1' and '2'): not the same items", "no per-item outcomes for the final checkpoint of 'c'", "no item was scored by both runs"],
            paired.Select(p => p.Reason));
    }

    [Fact]
    public void TheDirectionComesFromTheReportNotFromTheMetricsName()
    {
        // "exact_match" is higher-is-better by default; this report says otherwise, which a binary suite cannot be.
        var reference = new ComparisonInput("a", Run("a", [Facts(100, higherIsBetter: false)], new CheckpointReport(10, 1, [Facts(100, higherIsBetter: false)])), Items(1, 1));
        var other = new ComparisonInput("b", Run("b", [Facts(50, higherIsBetter: false)], new CheckpointReport(10, 1, [Facts(50, higherIsBetter: false)])), Items(1, 0));

        var paired = Assert.Single(Assert.Single(RunComparison.Compare([reference, other]).Suites).Paired);

        Assert.False(paired.Paired);
        Assert.Contains("must be higher-is-better", paired.Reason);
    }

    [Fact]
    public void SuitesOnlySomeRunsReportAreListedApartNotCompared()
    {
        var reference = new ComparisonInput("a", Run("a", [Facts(100), SampleReport.WikiText(0.1)]), null);
        var other = new ComparisonInput("b", Run("b", [Facts(50), SampleReport.Capitals(-1, -2, 0, Severity.Mild)]), null);

        var view = RunComparison.Compare([reference, other]);

        Assert.Equal(["facts"], view.Suites.Select(s => s.Suite));
        Assert.Equal(["wiki_text", "capitals"], view.OnlyInSome);
        Assert.Equal([null, null], view.Runs.Select(r => r.FinalStep));
    }
}
