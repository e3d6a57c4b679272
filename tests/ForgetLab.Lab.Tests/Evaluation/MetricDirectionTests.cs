using ForgetLab.Core.Analysis;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Suites;

namespace ForgetLab.Lab.Tests.Evaluation;

/// <summary>A suite's metric direction is data: the suite file states it, defaulted from the metric, and the evaluation carries it on.</summary>
public sealed class MetricDirectionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("forgetlab-direction-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteSuite(string header)
    {
        File.WriteAllText(Path.Combine(_directory, "s.jsonl"), "{\"id\":\"one\",\"prompt\":\"\",\"target\":\"some text to score\"}\n");
        var path = Path.Combine(_directory, "s.yaml");
        File.WriteAllText(path, $"task: s\ncategory: language\ndataset_path: s.jsonl\n{header}");
        return path;
    }

    private sealed class FixedModel : ILanguageModel
    {
        public IReadOnlyList<LoglikelihoodResult> Loglikelihood(IReadOnlyList<LoglikelihoodRequest> requests) => throw new NotSupportedException();

        public IReadOnlyList<RollingResult> LoglikelihoodRolling(IReadOnlyList<string> texts) => texts.Select(t => new RollingResult(t.Length, 2)).ToList();

        public IReadOnlyList<string> GenerateUntil(IReadOnlyList<string> prompts, IReadOnlyList<string> until, int maxNewTokens) => throw new NotSupportedException();

        public IReadOnlyList<double> KlFrom(ILanguageModel reference, IReadOnlyList<string> texts) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData("", false)]                              // nats_per_token, the kind's default metric: a loss
    [InlineData("metric: perplexity\n", false)]
    [InlineData("metric: fluency\nhigher_is_better: true\n", true)]
    public void ASuiteFilesDirectionOrItsMetricsDefaultReachesTheOutcomes(string header, bool higherIsBetter)
    {
        var suite = SuiteReader.Read(WriteSuite("output_type: loglikelihood_rolling\n" + header));

        var outcomes = new SuiteEvaluator().Evaluate(new FixedModel(), suite).Outcomes;

        Assert.Equal(higherIsBetter, outcomes.HigherIsBetter);
        Assert.Equal(higherIsBetter, SuiteReader.Read(SuiteWriter.Write(suite, Path.Combine(_directory, "again"))).HigherIsBetter ?? MetricDirection.HigherIsBetter(suite.Metric, outcomes.Kind));
    }

    [Fact]
    public void ABinarySuiteThatSaysLowerIsBetterIsRefusedNamingTheFile()
    {
        var path = WriteSuite("output_type: generate_until\nhigher_is_better: false\n");

        var error = Assert.Throws<InvalidDataException>(() => SuiteReader.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("higher_is_better", error.Message);
    }
}
