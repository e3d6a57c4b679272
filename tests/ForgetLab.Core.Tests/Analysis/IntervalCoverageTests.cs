using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Tests.Analysis;

/// <summary>
/// The coverage claim of docs/science.md on a smaller grid (the docs' full grid is
/// <c>forgetlab bench intervals</c>): Tango's interval, which reports use, stays near 95% from
/// n = 20 to 2,000, at base accuracies near 0, ½ and 1 and with rare or heavy changes; Wald's does
/// not; Newcombe's dips where few items change on a suite near 50%.
/// </summary>
public class IntervalCoverageTests
{
    private static readonly IReadOnlyList<IntervalCoverage.Cell> Cells = IntervalCoverage.Grid(
        ns: [20, 200, 2000], baseAccuracies: [0.1, 0.5, 0.95], changes: [(0.01, 0.0), (0.05, 0.02), (0.3, 0.0)], replicates: 600, seed: 7);

    [Fact]
    public void TangoCoverageStaysNearNinetyFivePercentOverTheGrid()
    {
        Assert.All(Cells, c => Assert.True(c.Tango >= 0.91, $"n={c.N} acc={c.BaseAccuracy} lost={c.LostRate} gained={c.GainedRate}: {c.Tango:P1}"));
        Assert.InRange(Cells.Average(c => c.Tango), 0.935, 0.985);
    }

    [Fact]
    public void NewcombeCoverageDipsWhenFewItemsChangeOnASuiteNearHalf()
    {
        // n = 200, base 50%, 1% lost: with no item lost (13% of samples) Newcombe's interval is ±0.98 points, short of the true −1.
        var cell = Cells.Single(c => c is { N: 200, BaseAccuracy: 0.5, LostRate: 0.01 });
        Assert.True(cell.Newcombe < 0.92, $"Newcombe {cell.Newcombe:P1}");
        Assert.True(cell.Tango >= 0.93, $"Tango {cell.Tango:P1}");
    }

    [Fact]
    public void WaldCoverageFallsFarBelowNominalWithFewDiscordantItems()
    {
        // n = 20 with 1% of items lost: most samples have no discordant item, and Wald's [0, 0] misses the true −1%.
        var rare = Cells.Single(c => c is { N: 20, BaseAccuracy: 0.5, LostRate: 0.01 });
        Assert.True(rare.Wald < 0.5, $"Wald {rare.Wald:P1}");
        Assert.True(rare.Tango >= 0.95, $"Tango {rare.Tango:P1}");
        Assert.True(Cells.Min(c => c.Wald) < 0.8);
    }

    [Fact]
    public void TheSimulationIsSeeded()
    {
        var once = IntervalCoverage.Simulate(50, 0.5, 0.05, 0.02, replicates: 200, seed: 3);
        var again = IntervalCoverage.Simulate(50, 0.5, 0.05, 0.02, replicates: 200, seed: 3);
        Assert.Equal(once, again);
    }

    [Fact]
    public void ImpossibleCellProbabilitiesAreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => IntervalCoverage.Simulate(20, baseAccuracy: 0.1, lostRate: 0.2, gainedRate: 0, 10, 1));
}
