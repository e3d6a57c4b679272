using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Tests.Analysis;

public class MetricDirectionTests
{
    [Theory]
    [InlineData("acc", OutcomeKind.Binary, true)]
    [InlineData("exact_match", OutcomeKind.Binary, true)]
    [InlineData("nats_per_token", OutcomeKind.Continuous, false)]
    [InlineData("bits_per_token", OutcomeKind.Continuous, false)]
    [InlineData("perplexity", OutcomeKind.Continuous, false)]
    [InlineData("kl", OutcomeKind.Continuous, false)]
    public void EachMetricHasOneDefaultDirection(string metric, OutcomeKind kind, bool higherIsBetter) =>
        Assert.Equal(higherIsBetter, MetricDirection.HigherIsBetter(metric, kind));

    private static SuiteResult Result(string metric, OutcomeKind kind) =>
        new("s", "1", SuiteCategory.Language, metric, kind, 2, 2.5, 0.5, 25, [0.1, 0.9], 0.01, 0.01, null, null, 10, [], []);

    [Fact]
    public void TheRecordedDirectionWinsAndAnOlderReportFallsBackToTheMetric()
    {
        Assert.True((Result("perplexity", OutcomeKind.Continuous) with { HigherIsBetter = true }).IsHigherBetter());
        Assert.False(Result("perplexity", OutcomeKind.Continuous).IsHigherBetter());
        Assert.True(Result("acc", OutcomeKind.Binary).IsHigherBetter());
    }

    [Fact]
    public void TheAnalysisCopiesTheSuitesDirectionIntoTheReport()
    {
        var items = new[] { "a", "b", "c" };
        SuiteOutcomes Outcomes(double[] values) => new("fluency", "1", SuiteCategory.Language, OutcomeKind.Continuous, "fluency", true, null, items, values);

        var comparison = ForgettingAnalysis.Compare(Outcomes([1, 2, 3]), Outcomes([2, 3, 4]), seed: 1);
        var result = Assert.Single(ForgettingAnalysis.Report([comparison]).Suites);

        Assert.True(result.HigherIsBetter);
    }
}
