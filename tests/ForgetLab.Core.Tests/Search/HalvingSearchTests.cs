using ForgetLab.Core.Search;

namespace ForgetLab.Core.Tests.Search;

public class HalvingSearchTests
{
    // A run's point from its target gain and forgetting, each with a symmetric 95% half-width (points).
    private static RungPoint Point(string run, double gain, double gainHalf, double forgetting, double forgettingHalf) =>
        new(run, new(gain, gain - gainHalf, gain + gainHalf), new(forgetting, Math.Max(0, forgetting - forgettingHalf), forgetting + forgettingHalf));

    [Fact]
    public void DifferencesWithinTheNoiseStopNoRun()
    {
        // b is worse on both estimates, but every interval overlaps its rival's.
        var runs = new[] { Point("a", 30, 8, 10, 5), Point("b", 25, 8, 14, 5), Point("c", 28, 8, 12, 5) };
        Assert.Empty(HalvingSearch.Dominated(50, runs, keep: 1));
    }

    [Fact]
    public void AClearlyDominatedRunIsStoppedAndTheRunThatDominatesItIsNamed()
    {
        var runs = new[] { Point("full", 40, 6, 12, 4), Point("lora", 5, 6, 13, 4) };
        var stopped = Assert.Single(HalvingSearch.Dominated(50, runs, keep: 1));
        Assert.Equal("lora", stopped.Run);
        Assert.Equal(["full"], stopped.DominatedBy);
        Assert.Equal("dominated at step 50 by full", stopped.Reason);
    }

    [Fact]
    public void LessForgettingAloneDominatesWhenTheGainIsNoWorse()
    {
        var runs = new[] { Point("replay", 20, 5, 2, 2), Point("plain", 20, 5, 30, 5) };
        Assert.Equal("plain", Assert.Single(HalvingSearch.Dominated(25, runs, keep: 1)).Run);
    }

    [Fact]
    public void ARunOnTheFrontIsNeverStoppedEvenByASignificantlyBetterGain()
    {
        // a gains significantly more but forgets more: a trade-off, not domination.
        var runs = new[] { Point("a", 40, 5, 30, 5), Point("b", 5, 5, 3, 2) };
        Assert.Empty(HalvingSearch.Dominated(50, runs, keep: 1));
    }

    [Fact]
    public void ASignificantWinOnOneObjectiveDoesNotDominateWhenTheOtherEstimateIsWorse()
    {
        // a's forgetting is only slightly (not significantly) worse, yet it is worse: a does not dominate.
        var runs = new[] { Point("a", 40, 5, 11, 5), Point("b", 5, 5, 10, 5) };
        Assert.Empty(HalvingSearch.Dominated(50, runs, keep: 1));
    }

    [Fact]
    public void TiedRunsDominateNeitherOther()
    {
        var runs = new[] { Point("a", 20, 0, 10, 0), Point("b", 20, 0, 10, 0) };
        Assert.Empty(HalvingSearch.Dominated(50, runs, keep: 1));
        Assert.False(HalvingSearch.Dominates(runs[0], runs[1]));
    }

    [Fact]
    public void EveryRunThatDominatesIsListedInTheReason()
    {
        var runs = new[] { Point("a", 40, 3, 5, 2), Point("b", 41, 3, 4, 2), Point("c", 42, 3, 5, 2), Point("weak", 0, 3, 30, 3) };
        var stopped = Assert.Single(HalvingSearch.Dominated(100, runs, keep: 1));
        Assert.Equal(["a", "b", "c"], stopped.DominatedBy);
        Assert.Equal("dominated at step 100 by a (and 2 others: b, c)", stopped.Reason);
    }

    [Fact]
    public void KeepSparesTheLeastDominatedRunsWhenStoppingAllWouldLeaveTooFew()
    {
        // "best" dominates all three others; "mid" is dominated by best alone, the other two by best and mid.
        var runs = new[] { Point("best", 60, 2, 1, 1), Point("mid", 30, 2, 10, 2), Point("low1", 5, 2, 30, 2), Point("low2", 4, 2, 31, 2) };
        Assert.Equal(["mid", "low1", "low2"], HalvingSearch.Dominated(50, runs, keep: 1).Select(d => d.Run));
        Assert.Equal(["low1", "low2"], HalvingSearch.Dominated(50, runs, keep: 2).Select(d => d.Run));
        Assert.Empty(HalvingSearch.Dominated(50, runs, keep: 4));
    }

    [Fact]
    public void ARunThatHasEndedDominatesOthersButIsNeverStoppedNorCountedAmongTheRunsThatGoOn()
    {
        // "done" ended after scoring the rung and dominates both; "poor" is dominated by "done" and by "good" too.
        var runs = new[] { Point("done", 45, 5, 2, 2), Point("good", 40, 5, 3, 2), Point("poor", 5, 5, 20, 3), Point("worst", 2, 5, 4, 2) };
        var ended = new HashSet<string>(["done"], StringComparer.Ordinal);

        var stopped = HalvingSearch.Dominated(50, runs, keep: 1, ended);
        var keepTwo = HalvingSearch.Dominated(50, runs, keep: 2, ended);

        Assert.Equal(["poor", "worst"], stopped.Select(d => d.Run));
        Assert.Equal(["done", "good"], stopped[0].DominatedBy);
        // Two must go on, and only "good" is undominated among the runs that can: the less dominated of the others is spared.
        Assert.Equal(["poor"], keepTwo.Select(d => d.Run));
    }

    [Fact]
    public void ARunNamedTwiceAtOneRungIsAnError() =>
        Assert.Throws<ArgumentException>(() => HalvingSearch.Dominated(50, [Point("a", 1, 1, 1, 1), Point("a", 2, 1, 1, 1)], keep: 1));
}
