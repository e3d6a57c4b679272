using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Tests.Analysis;

public class ForgettingAnalysisTests
{
    [Fact]
    public void IdenticalBinaryOutcomesGiveZeroDeltaPOfOneAndNoSeverityWithAnIntervalThatKeepsItsWidth()
    {
        var outcomes = Outcomes.Binary(Outcomes.FirstCorrect(200, 150));
        var assessment = ForgettingAnalysis.Report([ForgettingAnalysis.Compare(outcomes, outcomes, seed: 1)]);
        var suite = Assert.Single(assessment.Suites);
        Assert.Equal(0.0, suite.DeltaPoints);
        Assert.Equal(1.0, suite.PValue);
        Assert.Equal(1.0, suite.PHolm);
        Assert.Equal(Severity.None, suite.Severity);
        // Tango's interval for 0 of 200 changed: ±z²/(n + z²) = ±1.88 points, not Wald's [0, 0].
        Assert.Equal(-1.8845, suite.Ci95[0], 4);
        Assert.Equal(1.8845, suite.Ci95[1], 4);
        Assert.Equal(1.0, suite.KnownItemRetention);
        Assert.Equal(1.0, suite.Retention);
        Assert.Empty(suite.Lost);
        Assert.Empty(suite.Gained);
        Assert.Equal(Severity.None, assessment.RunSeverity);
        Assert.Equal(0.0, assessment.ForgettingPoints);
    }

    [Fact]
    public void IdenticalContinuousOutcomesGiveZeroDeltaPOfOneAndNoBand()
    {
        var outcomes = Outcomes.Continuous([2.1, 2.5, 3.0, 1.9]);
        var suite = Assert.Single(ForgettingAnalysis.Report([ForgettingAnalysis.Compare(outcomes, outcomes, seed: 1)]).Suites);
        Assert.Equal(0.0, suite.DeltaPoints);
        Assert.Equal(0.0, suite.RelativeChange);
        Assert.Equal(1.0, suite.PHolm);
        Assert.Null(suite.Severity);
        Assert.Null(suite.Retention);
    }

    [Fact]
    public void BinaryComparisonReportsPercentScoresPointDeltaAndMcNemarP()
    {
        // 100 items; base right on 0..79; checkpoint loses items 0..9 and gains items 80..81.
        var baseValues = Outcomes.FirstCorrect(100, 80);
        var checkpointValues = baseValues.Select((v, i) => i < 10 ? 0.0 : i is 80 or 81 ? 1.0 : v).ToArray();
        var comparison = ForgettingAnalysis.Compare(
            Outcomes.Binary(baseValues), Outcomes.Binary(checkpointValues), seed: 0);

        Assert.Equal(80.0, comparison.Base);
        Assert.Equal(72.0, comparison.Score);
        Assert.Equal(-8.0, comparison.DeltaPoints, 12);
        Assert.Null(comparison.RelativeChange);
        Assert.Equal(0.03857421875, comparison.PValue, 12);
        // Tango's score interval for 10 lost, 2 gained of 100.
        Assert.Equal(-15.804, comparison.Ci95.Low, 3);
        Assert.Equal(-1.430, comparison.Ci95.High, 3);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"item-{i}"), comparison.Lost);
        Assert.Equal(["item-80", "item-81"], comparison.Gained);
        // (0.72 − 0.25)/(0.80 − 0.25)
        Assert.Equal(0.47 / 0.55, comparison.Retention!.Value, 12);
    }

    [Fact]
    public void ContinuousComparisonReportsMetricUnitsAndRelativeChange()
    {
        var baseValues = Enumerable.Range(0, 100).Select(i => 2.0 + (i % 5) * 0.1).ToArray(); // mean 2.2
        var checkpointValues = baseValues.Select((v, i) => v + 0.22 + (i % 2 == 0 ? 0.05 : -0.05)).ToArray();
        var comparison = ForgettingAnalysis.Compare(
            Outcomes.Continuous(baseValues), Outcomes.Continuous(checkpointValues), seed: 9);

        Assert.Equal(2.2, comparison.Base, 12);
        Assert.Equal(0.22, comparison.DeltaPoints, 12);
        Assert.Equal(10.0, comparison.RelativeChange!.Value, 9);
        Assert.True(comparison.Ci95.Contains(0.22));
        Assert.True(comparison.PValue < 0.001);
        Assert.Empty(comparison.Lost);
    }

    [Fact]
    public void OnlyItemsScoredOnBothSidesArePaired()
    {
        var baseline = new SuiteOutcomes("facts", "2", SuiteCategory.Knowledge, OutcomeKind.Binary, "exact_match", true, 0.0,
            ["a", "b", "c", "d"], [1, 1, 0, 1]);
        var checkpoint = baseline with { ItemIds = ["d", "c", "b", "e"], Values = [0, 1, 1, 1] };
        var comparison = ForgettingAnalysis.Compare(baseline, checkpoint, seed: 0);

        Assert.Equal(3, comparison.N);
        Assert.Equal(2, comparison.Unpaired);
        Assert.Equal(["d"], comparison.Lost);
        Assert.Equal(["c"], comparison.Gained);
        Assert.Equal(0.0, comparison.DeltaPoints);
    }

    [Fact]
    public void DifferentSuiteVersionsAreNotCompared()
    {
        var outcomes = Outcomes.Binary([1, 0, 1]);
        var error = Assert.Throws<ArgumentException>(() =>
            ForgettingAnalysis.Compare(outcomes, outcomes with { Version = "2" }, seed: 0));
        Assert.Contains("version", error.Message);
    }

    [Fact]
    public void BinaryValuesOtherThanZeroOrOneAreRejected() =>
        Assert.Throws<ArgumentException>(() =>
            ForgettingAnalysis.Compare(Outcomes.Binary([1, 0.5]), Outcomes.Binary([1, 0]), seed: 0));

    [Fact]
    public void DuplicateItemIdsAreRejected()
    {
        var outcomes = Outcomes.Binary([1, 0]) with { ItemIds = ["x", "x"] };
        Assert.Throws<ArgumentException>(() => ForgettingAnalysis.Compare(outcomes, outcomes, seed: 0));
    }

    [Theory]
    [InlineData(49, Severity.Mild)]      // −4.9 points
    [InlineData(50, Severity.Moderate)]  // −5.0 points
    [InlineData(149, Severity.Moderate)] // −14.9 points
    [InlineData(150, Severity.Severe)]   // −15.0 points
    public void SeverityBandEdgesAreExactInPoints(int lost, Severity expected)
    {
        var baseValues = Outcomes.FirstCorrect(1000, 800);
        var checkpointValues = baseValues.Select((v, i) => i < lost ? 0.0 : v).ToArray();
        var assessment = Assess(Compare(baseValues, checkpointValues));
        Assert.Equal(expected, Assert.Single(assessment.Suites).Severity);
        Assert.Equal(expected, assessment.RunSeverity);
    }

    [Fact]
    public void ADropToChanceLabelsTheSuiteAtChance()
    {
        // 4-way multiple choice, 1000 items: 80% → 26%, within 2 SE (2.7 points) of 25%.
        var baseValues = Outcomes.FirstCorrect(1000, 800);
        var checkpointValues = Outcomes.FirstCorrect(1000, 260);
        var assessment = Assess(Compare(baseValues, checkpointValues));
        Assert.Equal(Severity.AtChance, Assert.Single(assessment.Suites).Severity);
        Assert.Equal(Severity.Catastrophic, assessment.RunSeverity); // its only knowledge suite is at chance
    }

    [Fact]
    public void KnownItemRetentionIsTheShareOfTheBasesRightAnswersStillRight()
    {
        // Base right on 50 of 100; the checkpoint loses 5 of them and gains 3 others: 45 of 50 kept.
        var baseValues = Outcomes.FirstCorrect(100, 50);
        var checkpointValues = baseValues.Select((v, i) => i < 5 ? 0.0 : i is >= 50 and < 53 ? 1.0 : v).ToArray();
        var suite = Assert.Single(Assess(Compare(baseValues, checkpointValues)).Suites);
        Assert.Equal(0.9, suite.KnownItemRetention!.Value, 12);
        // Wilson 95% for 45/50.
        Assert.Equal(0.786398, suite.KnownItemRetentionCi95![0], 6);
        Assert.Equal(0.956524, suite.KnownItemRetentionCi95[1], 6);
        Assert.Equal(-2.0, suite.DeltaPoints, 12); // the delta alone hides that 10% of what it knew is gone
    }

    [Fact]
    public void KnownItemRetentionIsUndefinedWhenTheBaseKnewNothing()
    {
        var suite = Assert.Single(Assess(Compare(Outcomes.FirstCorrect(40, 0), Outcomes.FirstCorrect(40, 30), category: SuiteCategory.Target)).Suites);
        Assert.Null(suite.KnownItemRetention);
        Assert.Null(suite.KnownItemRetentionCi95);
    }

    [Fact]
    public void ADropSignificantAloneNeedNotSurviveHolmAcrossTheReport()
    {
        // 8 lost, 1 gained: raw p = 0.039; with two more unchanged suites Holm gives 3·0.039 = 0.117.
        var baseValues = Outcomes.FirstCorrect(1000, 800);
        var checkpointValues = baseValues.Select((v, i) => i < 8 ? 0.0 : i == 900 ? 1.0 : v).ToArray();
        var dropped = Compare(baseValues, checkpointValues);
        Assert.Equal(Severity.Mild, Assert.Single(Assess(dropped).Suites).Severity);

        var unchangedA = Compare(baseValues, baseValues, suite: "elements");
        var unchangedB = Compare(baseValues, baseValues, suite: "currencies");
        var report = ForgettingAnalysis.Report([dropped, unchangedA, unchangedB]);
        Assert.Equal(0.1171875, report.Suites[0].PHolm, 12);
        Assert.Equal(Severity.None, report.Suites[0].Severity);
    }

    [Fact]
    public void RunSeverityIsTheWorstOverRetentionSuitesAndIgnoresTargetAndOverwritten()
    {
        var baseValues = Outcomes.FirstCorrect(1000, 800);
        var lost100 = baseValues.Select((v, i) => i < 100 ? 0.0 : v).ToArray(); // −10 points
        var lost20 = baseValues.Select((v, i) => i < 20 ? 0.0 : v).ToArray();   // −2 points
        var wiped = Outcomes.FirstCorrect(1000, 0);                             // −80 points

        var report = ForgettingAnalysis.Report(
        [
            Compare(baseValues, lost100, suite: "capitals", category: SuiteCategory.Knowledge),
            Compare(baseValues, lost20, suite: "arithmetic", category: SuiteCategory.Skill),
            Compare(baseValues, wiped, suite: "edited_capitals", category: SuiteCategory.Overwritten),
            Compare(Outcomes.FirstCorrect(1000, 100), Outcomes.FirstCorrect(1000, 700), suite: "format", category: SuiteCategory.Target),
        ]);

        Assert.Equal([Severity.Moderate, Severity.Mild, null, null], report.Suites.Select(s => s.Severity));
        Assert.Equal(Severity.Moderate, report.RunSeverity);
        Assert.Equal(60.0, report.TargetGainPoints, 12);
        Assert.Equal(10.0, report.ForgettingPoints, 12);
    }

    [Fact]
    public void TargetGainIsTheMeanOverTargetSuitesAndForgettingIgnoresGains()
    {
        var report = ForgettingAnalysis.Report(
        [
            Compare(Outcomes.FirstCorrect(100, 10), Outcomes.FirstCorrect(100, 50), suite: "t1", category: SuiteCategory.Target),
            Compare(Outcomes.FirstCorrect(100, 10), Outcomes.FirstCorrect(100, 30), suite: "t2", category: SuiteCategory.Target),
            Compare(Outcomes.FirstCorrect(100, 50), Outcomes.FirstCorrect(100, 60), suite: "k", category: SuiteCategory.Knowledge),
        ]);
        Assert.Equal(30.0, report.TargetGainPoints, 12);
        Assert.Equal(0.0, report.ForgettingPoints);
    }

    private static SuiteComparison Compare(
        double[] baseValues, double[] checkpointValues, string suite = "capitals", SuiteCategory category = SuiteCategory.Knowledge) =>
        ForgettingAnalysis.Compare(
            Outcomes.Binary(baseValues, suite, category),
            Outcomes.Binary(checkpointValues, suite, category),
            seed: 0);

    private static CheckpointAssessment Assess(SuiteComparison comparison) => ForgettingAnalysis.Report([comparison]);
}
