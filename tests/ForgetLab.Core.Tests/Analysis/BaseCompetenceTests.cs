using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Tests.Analysis;

public class BaseCompetenceTests
{
    [Fact]
    public void AnExactMatchSuiteNeedsTwentyKnownItemsByDefault()
    {
        // Chance 0: every right answer is known, so the count decides at its edge.
        Assert.False(BaseCompetence.Assess(correct: 19, n: 118, chance: 0.0, BaseGate.Default).Known);
        var known = BaseCompetence.Assess(correct: 20, n: 118, chance: 0.0, BaseGate.Default);
        Assert.True(known.Known);
        Assert.Equal(0.0, known.PAboveChance);
        Assert.Equal(20.0, known.KnownItems);
    }

    [Fact]
    public void KnownItemsOfAMultipleChoiceSuiteAreThoseAboveWhatGuessingGets()
    {
        // 4 choices, 100 items: guessing gets 25, so 44 right is 19 known and 45 right is 20.
        Assert.False(BaseCompetence.Assess(44, 100, 0.25, BaseGate.Default).Known);
        var known = BaseCompetence.Assess(45, 100, 0.25, BaseGate.Default);
        Assert.True(known.Known);
        Assert.Equal(20.0, known.KnownItems, 12);
    }

    [Fact]
    public void TheScoreMustBeSignificantlyAboveChanceByTheExactBinomialTest()
    {
        // X ~ Binomial(100, 0.25): P(X ≥ 32) = 0.0693, P(X ≥ 33) = 0.0446.
        var noCount = new BaseGate(Alpha: 0.05, MinKnownItems: 0);
        var at32 = BaseCompetence.Assess(32, 100, 0.25, noCount);
        Assert.False(at32.Known);
        Assert.Equal(0.06934888914174185, at32.PAboveChance!.Value, 10);
        var at33 = BaseCompetence.Assess(33, 100, 0.25, noCount);
        Assert.True(at33.Known);
        Assert.Equal(0.04459632521268153, at33.PAboveChance!.Value, 10);
    }

    [Fact]
    public void ABaseAtChanceIsNotKnownWhateverTheCount() =>
        Assert.False(BaseCompetence.Assess(250, 1000, 0.25, new BaseGate(0.05, 0)).Known);

    [Fact]
    public void WithChanceUnknownOnlyTheCountApplies()
    {
        var g = BaseCompetence.Assess(20, 50, chance: null, BaseGate.Default);
        Assert.True(g.Known);
        Assert.Null(g.PAboveChance);
    }

    [Fact]
    public void PerSuiteGatesOverrideTheDefault()
    {
        var gates = new BaseGates(BaseGate.Default, new Dictionary<string, BaseGate> { ["element_numbers"] = new(0.05, 5) });
        Assert.Equal(5, gates.For("element_numbers").MinKnownItems);
        Assert.Equal(BaseGate.DefaultMinKnownItems, gates.For("capitals_recall").MinKnownItems);
    }
}
