using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Tests.Analysis;

/// <summary>The run label on hand-built reports: the bands describe a model, not its worst suite.</summary>
public class RunSeverityTests
{
    [Fact]
    public void OneSuiteTheBaseHardlyKnewDoesNotMakeTheRunCatastrophic()
    {
        // The case: element_numbers 11 of 118 right at base (exact match) and 0 after; capitals down 29 points.
        var report = ForgettingAnalysis.Report(
        [
            Compare(Exact(118, 11), Exact(118, 0), "element_numbers"),
            Compare(Exact(200, 190), Exact(200, 132), "capitals_recall"),
            Compare(Mc(200, 196), Mc(200, 192), "capitals_mc"),
        ]);

        var elements = report.Suites[0];
        Assert.False(elements.BaseCompetence!.Known);
        Assert.Null(elements.Severity);
        Assert.Equal(-9.3, elements.DeltaPoints, 1);
        Assert.True(elements.PHolm < 0.05); // still reported with its test
        Assert.Equal(Severity.Severe, report.Suites[1].Severity);
        Assert.Equal(Severity.Severe, report.RunSeverity);
        Assert.Equal(29.0, report.ForgettingPoints, 12);
        Assert.Equal(0.0, report.AtChanceShare);
    }

    [Fact]
    public void ARunIsCatastrophicWhenMostGatedKnowledgeSuitesAreAtChance()
    {
        var report = ForgettingAnalysis.Report(
        [
            Compare(Exact(200, 190), Exact(200, 2), "capitals_recall"),
            Compare(Exact(200, 180), Exact(200, 0), "element_symbols", SuiteCategory.Knowledge),
            Compare(Mc(200, 196), Mc(200, 150), "capitals_mc"),
        ]);

        Assert.Equal([Severity.AtChance, Severity.AtChance, Severity.Severe], report.Suites.Select(s => s.Severity));
        Assert.Equal(2.0 / 3.0, report.AtChanceShare!.Value, 12);
        Assert.Equal(Severity.Catastrophic, report.RunSeverity);
    }

    [Fact]
    public void HalfOfTheSuitesAtChanceIsNotMostAndTheRunTakesItsWorstPointBand()
    {
        var report = ForgettingAnalysis.Report(
        [
            Compare(Exact(200, 190), Exact(200, 2), "capitals_recall"),
            Compare(Exact(200, 180), Exact(200, 0), "element_symbols"),
            Compare(Mc(200, 196), Mc(200, 180), "capitals_mc"),
            Compare(Mc(200, 200), Mc(200, 200), "continents_mc"),
        ]);

        Assert.Equal(0.5, report.AtChanceShare);
        Assert.Equal(Severity.Severe, report.RunSeverity); // the at-chance suites' drops are severe by points
    }

    [Fact]
    public void ASuiteAtChanceAfterASmallDropContributesItsPointBand()
    {
        // Base 32% on 4-way choice (significantly above chance only with 1000 items), down 6 points to chance.
        var report = ForgettingAnalysis.Report(
        [
            Compare(Mc(1000, 320), Mc(1000, 260), "languages_mc"),
            Compare(Mc(1000, 900), Mc(1000, 900), "capitals_mc"),
            Compare(Mc(1000, 900), Mc(1000, 900), "continents_mc"),
        ]);

        Assert.Equal(Severity.AtChance, report.Suites[0].Severity);
        Assert.Equal(Severity.Moderate, report.RunSeverity);
    }

    [Fact]
    public void SuitesTheBaseDoesNotKnowLeaveSeverityAndForgettingAlone()
    {
        var report = ForgettingAnalysis.Report(
        [
            Compare(Exact(200, 3), Exact(200, 0), "arithmetic", SuiteCategory.Skill),
            Compare(Mc(200, 196), Mc(200, 196), "capitals_mc"),
        ]);

        Assert.False(report.Suites[0].BaseCompetence!.Known);
        Assert.Null(report.Suites[0].Severity);
        Assert.Equal(Severity.None, report.RunSeverity);
        Assert.Equal(0.0, report.ForgettingPoints);
    }

    [Fact]
    public void GatesCanBeLoweredPerSuite()
    {
        var gates = new BaseGates(BaseGate.Default, new Dictionary<string, BaseGate> { ["element_numbers"] = new(0.05, 10) });
        var report = ForgettingAnalysis.Report([Compare(Exact(118, 11), Exact(118, 0), "element_numbers")], gates);
        Assert.True(report.Suites[0].BaseCompetence!.Known);
        Assert.Equal(Severity.AtChance, report.Suites[0].Severity);
        Assert.Equal(Severity.Catastrophic, report.RunSeverity); // its only gated knowledge suite is at chance
    }

    [Fact]
    public void TargetAndOverwrittenSuitesAreNotGated()
    {
        var report = ForgettingAnalysis.Report(
        [
            Compare(Exact(40, 0), Exact(40, 37), "target", SuiteCategory.Target),
            Compare(Exact(40, 40), Exact(40, 0), "overwritten", SuiteCategory.Overwritten),
        ]);
        Assert.All(report.Suites, s => Assert.Null(s.BaseCompetence));
        Assert.Null(report.AtChanceShare);
        Assert.Equal(Severity.None, report.RunSeverity);
    }

    /// <summary>n exact-match items, the first <paramref name="correct"/> right (chance 0).</summary>
    private static SuiteOutcomesFactory Exact(int n, int correct) => new(Outcomes.FirstCorrect(n, correct), 0.0, "exact_match");

    /// <summary>n 4-way multiple-choice items, the first <paramref name="correct"/> right.</summary>
    private static SuiteOutcomesFactory Mc(int n, int correct) => new(Outcomes.FirstCorrect(n, correct), 0.25, "acc");

    private sealed record SuiteOutcomesFactory(double[] Values, double Chance, string Metric);

    private static SuiteComparison Compare(SuiteOutcomesFactory baseline, SuiteOutcomesFactory checkpoint, string suite, SuiteCategory category = SuiteCategory.Knowledge) =>
        ForgettingAnalysis.Compare(
            Outcomes.Binary(baseline.Values, suite, category, baseline.Chance) with { Metric = baseline.Metric },
            Outcomes.Binary(checkpoint.Values, suite, category, checkpoint.Chance) with { Metric = checkpoint.Metric },
            seed: 0);
}
