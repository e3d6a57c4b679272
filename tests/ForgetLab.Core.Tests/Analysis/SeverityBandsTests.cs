using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Tests.Analysis;

public class SeverityBandsTests
{
    // A checkpoint far above chance with retention high enough not to trigger the catastrophic rule.
    private static Severity Band(double deltaPoints, double pHolm = 0.001) =>
        SeverityBands.Classify(deltaPoints, pHolm, scoreFraction: 0.6, chance: 0.25, n: 1000, retention: 0.6);

    [Theory]
    [InlineData(-0.5, Severity.Mild)]
    [InlineData(-4.9, Severity.Mild)]
    [InlineData(-5.0, Severity.Moderate)]
    [InlineData(-14.9, Severity.Moderate)]
    [InlineData(-15.0, Severity.Severe)]
    [InlineData(-40.0, Severity.Severe)]
    public void SignificantDropsFallIntoTheirPointBands(double deltaPoints, Severity expected) =>
        Assert.Equal(expected, Band(deltaPoints));

    [Fact]
    public void ADropThatIsNotSignificantAfterHolmIsNone() => Assert.Equal(Severity.None, Band(-20.0, pHolm: 0.05));

    [Fact]
    public void AGainIsNone() => Assert.Equal(Severity.None, Band(+8.0));

    [Fact]
    public void ASignificantDropToWithinTwoStandardErrorsOfChanceIsAtChance()
    {
        // chance 0.25, n = 1000: SE = sqrt(0.1875/1000) = 0.01369, so the at-chance line is 0.2774.
        Assert.Equal(Severity.AtChance,
            SeverityBands.Classify(-3.0, 0.001, scoreFraction: 0.277, chance: 0.25, n: 1000, retention: null));
        Assert.Equal(Severity.Mild,
            SeverityBands.Classify(-3.0, 0.001, scoreFraction: 0.278, chance: 0.25, n: 1000, retention: null));
    }

    [Fact]
    public void ASignificantDropBelowChanceIsAtChance() =>
        Assert.Equal(Severity.AtChance,
            SeverityBands.Classify(-60.0, 0.001, scoreFraction: 0.05, chance: 0.25, n: 1000, retention: null));

    [Fact]
    public void RetentionBelowOneTenthIsAtChance()
    {
        Assert.Equal(Severity.AtChance,
            SeverityBands.Classify(-46.0, 0.001, scoreFraction: 0.04, chance: 0.0, n: 1000, retention: 0.08));
        Assert.Equal(Severity.Severe,
            SeverityBands.Classify(-44.0, 0.001, scoreFraction: 0.06, chance: 0.0, n: 1000, retention: 0.12));
    }

    [Fact]
    public void AScoreAtChanceWithoutASignificantDropIsNone() =>
        Assert.Equal(Severity.None,
            SeverityBands.Classify(-1.0, 0.4, scoreFraction: 0.25, chance: 0.25, n: 1000, retention: 0.0));

    [Fact]
    public void OnlyARunCanBeCatastrophicAndOnlyWhenMostOfItsKnowledgeIsAtChance()
    {
        Assert.Equal(Severity.Catastrophic, SeverityBands.Run([Severity.Severe, Severity.Severe, Severity.Mild], knowledgeSuites: 3, knowledgeAtChance: 2));
        Assert.Equal(Severity.Severe, SeverityBands.Run([Severity.Severe, Severity.Severe, Severity.None, Severity.None], knowledgeSuites: 4, knowledgeAtChance: 2));
        Assert.Equal(Severity.None, SeverityBands.Run([], knowledgeSuites: 0, knowledgeAtChance: 0));
    }
}
