using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.Components;

namespace ForgetLab.Dashboard.Tests;

public class DeltaColorTests
{
    private static SuiteResult Continuous(string metric, double relative) =>
        new("s", "1", SuiteCategory.Language, metric, OutcomeKind.Continuous, 2, 2 * (1 + relative / 100), 2 * relative / 100, relative, [0.1, 0.2], 0.001, 0.001, null, null, 20, [], []);

    [Fact]
    public void AContinuousSuitesColourFollowsTheDirectionTheReportRecords()
    {
        // A rise in a loss (the metric's default direction) is worse: red.
        Assert.Contains("rgba(198, 40, 40", DeltaColor.Css(Continuous("nats_per_token", 20) with { HigherIsBetter = false }));
        // The same rise in a suite that says higher is better is a gain: blue.
        Assert.Contains("rgba(21, 101, 192", DeltaColor.Css(Continuous("nats_per_token", 20) with { HigherIsBetter = true }));
        // A report without the field reads the metric's default.
        Assert.Contains("rgba(198, 40, 40", DeltaColor.Css(Continuous("bits_per_token", 20)));
    }
}
