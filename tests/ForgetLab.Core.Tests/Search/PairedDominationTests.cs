using ForgetLab.Core.Analysis;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Search;

namespace ForgetLab.Core.Tests.Search;

/// <summary>Domination at a rung decided by the paired run-vs-run test on the same items, and its fallback where items are missing.</summary>
public class PairedDominationTests
{
    private const int Items = 100;

    // Item i of a 100-item binary suite is 1 when i is in one of the ranges [from, to).
    private static double[] Correct(params (int From, int To)[] ranges) =>
        [.. Enumerable.Range(0, Items).Select(i => ranges.Any(r => i >= r.From && i < r.To) ? 1.0 : 0.0)];

    private static readonly string[] Ids = [.. Enumerable.Range(0, Items).Select(i => $"item-{i:D3}")];

    // A run scored on a target suite (the base got every item wrong, so the delta is the score) and on a knowledge suite the
    // base knew entirely (the delta is minus the items lost). The intervals against the base are given, as the report has them.
    private static RungPoint Run(string run, double[] target, (double Low, double High) gainCi, double[] knowledge, (double Low, double High) dropCi, string version = "1")
    {
        var gain = target.Average() * 100;
        var drop = 100 - knowledge.Average() * 100;
        ObjectiveItems[] items =
        [
            new(new ObjectiveSuite("target", ObjectiveRole.TargetGain, gain, gainCi.Low, gainCi.High), version, Ids, target),
            new(new ObjectiveSuite("capitals", ObjectiveRole.Forgetting, -drop, -dropCi.High, -dropCi.Low), version, Ids, knowledge),
        ];
        return SearchObjectives.Point(run, [.. items.Select(s => s.Objective)]) with { Items = items };
    }

    [Fact]
    public void OverlappingIntervalsAgainstTheBaseStillDominateWhenThePairedDifferenceIsSignificant()
    {
        // a gets items 0-59 right, b items 0-49: b is never right where a is wrong. Their gains' intervals against the base
        // overlap (50-70 and 40-60), so the fallback keeps b; on the same items a wins 10 and loses 0.
        var knowledge = Correct((0, 90));
        var a = Run("a", Correct((0, 60)), (50, 70), knowledge, (5, 16));
        var b = Run("b", Correct((0, 50)), (40, 60), knowledge, (5, 16));

        Assert.False(HalvingSearch.DominatesByIntervals(a, b));
        Assert.True(PairedRunDifference.TargetGain(a, b).Ci95.Low > 0);
        Assert.True(HalvingSearch.Dominates(a, b));
        Assert.False(HalvingSearch.Dominates(b, a));
        var stopped = Assert.Single(HalvingSearch.Dominated(20, [a, b], keep: 1));
        Assert.Equal("b", stopped.Run);
        Assert.Equal("dominated at step 20 by a", stopped.Reason);
        Assert.True(stopped.OnItems);
    }

    [Fact]
    public void NoisyPerItemDifferencesDoNotDominateEvenWhenTheMeansAndTheIntervalsDiffer()
    {
        // a is right on 0-59 (60), b on 0-44 and 60-69 (55): a wins 15 items and loses 10, a 5-point mean difference the paired
        // interval does not separate from 0. The intervals given against the base are narrow and disjoint, so the fallback
        // would stop b; the paired test on the same items does not.
        var knowledge = Correct((0, 90));
        var a = Run("a", Correct((0, 60)), (58, 62), knowledge, (5, 16));
        var b = Run("b", Correct((0, 45), (60, 70)), (53, 57), knowledge, (5, 16));

        Assert.True(HalvingSearch.DominatesByIntervals(a, b));
        var gain = PairedRunDifference.TargetGain(a, b);
        Assert.Equal(5, gain.MeanDifference, 9);
        Assert.True(gain.Ci95.Contains(0));
        Assert.False(HalvingSearch.Dominates(a, b));
        Assert.Empty(HalvingSearch.Dominated(20, [a, b], keep: 1));
    }

    [Fact]
    public void LessForgettingOnTheItemsDominatesWhenTheGainIsTheSame()
    {
        // Same target items; on capitals a loses 10 items, b loses those 10 and 20 more.
        var target = Correct((0, 40));
        var a = Run("replay", target, (30, 50), Correct((0, 90)), (5, 16));
        var b = Run("plain", target, (30, 50), Correct((0, 70)), (21, 39));

        Assert.True(PairedRunDifference.ForgetsSignificantlyLess(a, b));
        Assert.False(PairedRunDifference.ForgetsSignificantlyLess(b, a));
        Assert.True(HalvingSearch.Dominates(a, b));
    }

    [Fact]
    public void ASignificantGainDoesNotDominateARunThatForgetsSignificantlyLess()
    {
        // a learns 20 more target items but forgets 20 more capitals: a trade-off, on the front both ways.
        var a = Run("a", Correct((0, 60)), (50, 70), Correct((0, 70)), (21, 39));
        var b = Run("b", Correct((0, 40)), (30, 50), Correct((0, 90)), (5, 16));

        Assert.False(HalvingSearch.Dominates(a, b));
        Assert.False(HalvingSearch.Dominates(b, a));
    }

    [Fact]
    public void ADropTheBaseComparisonDoesNotFindIsNotForgettingToBeatEvenWhenTheOtherRunLosesNothing()
    {
        // b loses 3 capitals, a none: on the same items a is better on every discordant item, but b's own drop against the
        // base is not significant (its interval crosses 0), so b is not shown to forget at all.
        var target = Correct((0, 40));
        var a = Run("a", target, (30, 50), Correct((0, 100)), (0, 4));
        var b = Run("b", target, (30, 50), Correct((0, 97)), (0, 8));

        Assert.False(PairedRunDifference.ForgetsSignificantlyLess(a, b));
        Assert.False(HalvingSearch.Dominates(a, b));
    }

    [Fact]
    public void WithoutPerItemOutcomesOnBothRunsTheIntervalsAgainstTheBaseDecide()
    {
        var knowledge = Correct((0, 90));
        var a = Run("a", Correct((0, 60)), (58, 62), knowledge, (5, 16));
        var b = Run("b", Correct((0, 45), (60, 70)), (53, 57), knowledge, (5, 16)) with { Items = null };

        Assert.False(PairedRunDifference.Pairable(a, b));
        Assert.True(HalvingSearch.Dominates(a, b));
        var stopped = Assert.Single(HalvingSearch.Dominated(20, [a, b], keep: 1));
        Assert.False(stopped.OnItems);
    }

    [Fact]
    public void RunsScoredOnAnotherSuiteVersionOrOtherItemsAreNotPaired()
    {
        var a = Run("a", Correct((0, 60)), (50, 70), Correct((0, 90)), (5, 16));
        var otherVersion = Run("b", Correct((0, 50)), (40, 60), Correct((0, 90)), (5, 16), version: "2");
        var fewerItems = a with { Run = "c", Items = [.. a.Items!.Select(s => s with { ItemIds = s.ItemIds.Skip(1).ToList(), Values = s.Values.Skip(1).ToList() })] };

        Assert.True(PairedRunDifference.Pairable(a, a with { Run = "copy" }));
        Assert.False(PairedRunDifference.Pairable(a, otherVersion));
        Assert.False(PairedRunDifference.Pairable(a, fewerItems));
        // Not paired: the intervals (overlapping here) decide, and keep b.
        Assert.False(HalvingSearch.Dominates(a, otherVersion));
    }

    [Fact]
    public void ItemsAreMatchedByIdNotByOrder()
    {
        var knowledge = Correct((0, 90));
        var a = Run("a", Correct((0, 60)), (50, 70), knowledge, (5, 16));
        var b = Run("b", Correct((0, 50)), (40, 60), knowledge, (5, 16));
        var reversed = b with { Items = [.. b.Items!.Select(s => s with { ItemIds = s.ItemIds.Reverse().ToList(), Values = s.Values.Reverse().ToList() })] };

        Assert.Equal(PairedRunDifference.TargetGain(a, b), PairedRunDifference.TargetGain(a, reversed));
        Assert.True(HalvingSearch.Dominates(a, reversed));
    }

    [Fact]
    public void ACheckpointsObjectiveItemsComeFromItsItemRowsOfTheScoredVersion()
    {
        SuiteResult Suite(string name, SuiteCategory category) =>
            new(name, "1", category, "exact_match", OutcomeKind.Binary, 50, 60, 10, null, [2, 18], 0.01, 0.01, null, null, 2, [], [])
            {
                BaseCompetence = category == SuiteCategory.Target ? null : new BaseCompetence(true, 2, 2, 0.001, 0.05, 2),
            };
        SuiteResult[] suites = [Suite("target", SuiteCategory.Target), Suite("capitals", SuiteCategory.Knowledge), Suite("prose", SuiteCategory.Unrelated)];
        ItemResult[] rows =
        [
            new("target", "1", "t1", 1, "x"), new("target", "1", "t2", 0, "y"), new("target", "0", "t1", 0, "old"),
            new("capitals", "1", "c1", 1, "Paris"), new("prose", "1", "p1", 1, "z"),
        ];

        var items = SearchObjectives.ItemsOf(suites, rows)!;

        Assert.Equal(["target", "capitals"], items.Select(s => s.Objective.Suite));
        Assert.Equal(["t1", "t2"], items[0].ItemIds);
        Assert.Equal([1.0, 0.0], items[0].Values);
        Assert.Equal(ObjectiveRole.Forgetting, items[1].Objective.Role);
        Assert.Null(SearchObjectives.ItemsOf(suites, rows.Where(r => r.Suite != "capitals")));
    }

    [Fact]
    public void FromObjectiveSuitesAloneTheItemsAreTheOneVersionTheCheckpointsRowsHoldAndTwoVersionsGiveNone()
    {
        ObjectiveSuite[] objectives = [new("target", ObjectiveRole.TargetGain, 10, 2, 18), new("capitals", ObjectiveRole.Forgetting, -3, -8, 2)];
        ItemResult[] rows =
        [
            new("target", "2", "t1", 1, "x"), new("target", "2", "t2", 0, "y"), new("capitals", "1", "c1", 1, "Paris"), new("prose", "1", "p1", 1, "z"),
        ];

        var items = SearchObjectives.ItemsOf(objectives, rows)!;

        Assert.Equal([("target", "2", 2), ("capitals", "1", 1)], items.Select(s => (s.Objective.Suite, s.Version, s.ItemIds.Count)));
        Assert.Equal(objectives, items.Select(s => s.Objective));
        Assert.Null(SearchObjectives.ItemsOf(objectives, [.. rows, new ItemResult("capitals", "0", "c1", 0, "Lyon")]));
        Assert.Null(SearchObjectives.ItemsOf(objectives, rows.Where(r => r.Suite != "target")));
    }
}
