using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Tests.Reports;

public class SeedAggregationTests
{
    private static RunReport Run(string name, double capitalsDelta, double gain) =>
        new(name, "full", RunStatus.Completed, new Dictionary<string, string>(), Severity.Moderate, gain, -capitalsDelta, false,
            [SampleReport.Capitals(capitalsDelta, capitalsDelta - 3, capitalsDelta + 3, Severity.Moderate)],
            [new CheckpointReport(10, 1.0, [])]);

    [Fact]
    public void RunsThatDifferOnlyInTheirSeedFormOneRecipe()
    {
        Assert.Equal("full-lr1e-4-steps100", SeedAggregation.RecipeOf("full-lr1e-4-steps100-seed3"));
        Assert.Equal("full-lr1e-4-steps100-replay0.25", SeedAggregation.RecipeOf("full-lr1e-4-steps100-seed12-replay0.25"));
    }

    [Fact]
    public void ThreeSeedsGiveTheMeanAndAStudentTInterval()
    {
        // Deltas −10, −12, −14: mean −12, s = 2, t(0.975, 2) = 4.302653 → half-width 4.302653·2/√3 = 4.968276.
        var groups = SeedAggregation.Aggregate([Run("full-seed1", -10, 30), Run("full-seed2", -12, 40), Run("full-seed3", -14, 50), Run("lora-seed1", -1, 5)]);

        var group = Assert.Single(groups); // lora has one seed: nothing to aggregate
        Assert.Equal("full", group.Recipe);
        Assert.Equal(["full-seed1", "full-seed2", "full-seed3"], group.Runs);
        var capitals = Assert.Single(group.Suites);
        Assert.Equal(-12, capitals.DeltaMean, 10);
        Assert.Equal(-12 - 4.968276, capitals.Ci95![0], 5);
        Assert.Equal(-12 + 4.968276, capitals.Ci95[1], 5);
        Assert.Equal(3, capitals.Seeds);
        Assert.Equal(40, group.TargetGainMean, 10);
        Assert.Equal(12, group.ForgettingMean, 10);
    }

    [Fact]
    public void IdenticalSeedsGiveAZeroWidthInterval()
    {
        var group = Assert.Single(SeedAggregation.Aggregate([Run("a-seed1", -5, 1), Run("a-seed2", -5, 1)]));
        Assert.Equal([-5.0, -5.0], group.Suites[0].Ci95);
    }

    [Fact]
    public void RunsNeverEvaluatedAreLeftOut()
    {
        var diverged = Run("a-seed2", -50, 0) with { Checkpoints = [] };
        Assert.Empty(SeedAggregation.Aggregate([Run("a-seed1", -5, 1), diverged]));
    }

    [Fact]
    public void TheMarkdownReportShowsTheAcrossSeedsTable()
    {
        var runs = new[] { Run("full-seed1", -10, 30), Run("full-seed2", -12, 40), Run("full-seed3", -14, 50) };
        var report = SampleReport.Create() with { Runs = runs };
        var md = ReportMarkdown.Render(report with { SeedGroups = SeedAggregation.Aggregate(runs) });
        Assert.Contains("## Across seeds", md);
        Assert.Contains("| full | 3 | +40.0 [", md);
        Assert.Contains("−12.0 [−17.0, −7.0]", md);
    }
}
