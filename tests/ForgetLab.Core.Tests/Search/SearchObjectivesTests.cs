using ForgetLab.Core.Search;

namespace ForgetLab.Core.Tests.Search;

public class SearchObjectivesTests
{
    [Fact]
    public void TargetGainIsTheMeanDeltaWithTheMeanOfTheLimits()
    {
        var point = SearchObjectives.Point("r", [
            new("t1", ObjectiveRole.TargetGain, 40, 30, 50),
            new("t2", ObjectiveRole.TargetGain, 20, 14, 26),
        ]);
        Assert.Equal(new ObjectiveInterval(30, 22, 38), point.TargetGain);
        Assert.Equal(ObjectiveInterval.Zero, point.Forgetting);
    }

    [Fact]
    public void ForgettingIsTheLargestDropWithTheLargestDropsOfEachLimit()
    {
        var point = SearchObjectives.Point("r", [
            new("capitals", ObjectiveRole.Forgetting, -29, -35.9, -22.7),
            new("continents", ObjectiveRole.Forgetting, -17, -22.8, -12.4),
            new("currencies", ObjectiveRole.Forgetting, 1, -1.9, 3.9),
        ]);
        Assert.Equal(new ObjectiveInterval(29, 22.7, 35.9), point.Forgetting);
    }

    [Fact]
    public void AGainOnEveryRetainedSuiteIsNoForgettingAndItsIntervalStartsAtZero()
    {
        var point = SearchObjectives.Point("r", [new("capitals", ObjectiveRole.Forgetting, 2, -1, 5)]);
        Assert.Equal(new ObjectiveInterval(0, 0, 1), point.Forgetting);
    }

    [Fact]
    public void AnIntervalWhoseLowIsAboveItsHighIsRefused() =>
        Assert.Throws<ArgumentException>(() => SearchObjectives.Point("r", [new("t", ObjectiveRole.TargetGain, 1, 5, 2)]));
}
